// Checked output for every command (util/output.hpp): the stream's state after a flush says whether all the
// bytes reached the operating system; a file stream is closed too, so its last buffer is written and checked.
#include "util/output.hpp"

#include "util/files.hpp"
#include "util/unicode.hpp"

#include <fstream>

namespace nncert::util {

int finish_output(int code, std::ostream& out, std::string_view who, std::string_view what, std::ostream& err) {
    out.flush();
    if (auto* file = dynamic_cast<std::ofstream*>(&out); file && file->is_open()) file->close();
    if (out) return code;
    err << who << ": error[io]: writing " << escape_for_display(what) << " failed\n";
    return code == 4 || code == 5 ? code : 2;
}

bool write_output_file(const std::string& path, std::string_view text, std::string_view who, std::ostream& err) {
    // Opening a FIFO blocks until a reader comes: a non-regular file is refused before it is opened.
    if (const auto problem = output_problem(path, {})) {
        err << who << ": error[io]: cannot write " << escape_for_display(quoted_name(path)) << ": it "
            << escape_for_display(*problem) << "\n";
        return false;
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (file) file.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (file) file.close();
    if (file) return true;
    err << who << ": error[io]: cannot write " << escape_for_display(quoted_name(path)) << "\n";
    return false;
}

}  // namespace nncert::util
