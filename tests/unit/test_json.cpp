// report::Json: string escaping, layouts, insertion order, and that the reader reads back what the
// writer writes (including escapes and UTF-8). Also that the reader rejects what we never write.
#include "report/json.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using nncert::report::Json;
using nncert::report::JsonError;
using nncert::report::Layout;
using nncert::report::quote;

BOOST_AUTO_TEST_SUITE(json)

BOOST_AUTO_TEST_CASE(escaping) {
    BOOST_TEST(quote("plain") == "\"plain\"");
    BOOST_TEST(quote("a\"b\\c/") == "\"a\\\"b\\\\c/\"");
    BOOST_TEST(quote("\n\t\r\b\f") == "\"\\n\\t\\r\\b\\f\"");
    BOOST_TEST(quote(std::string("\x01\x1f\x7f", 3)) == "\"\\u0001\\u001f\\u007f\"");
    BOOST_TEST(quote(std::string("a\0b", 3)) == "\"a\\u0000b\"");
}

BOOST_AUTO_TEST_CASE(utf8) {
    // Valid UTF-8 is written as \u escapes (2-, 3- and 4-byte sequences, the last as a surrogate pair): the
    // document is ASCII and a viewer sees which characters a name has (review 8-5, F3); the value is unchanged.
    BOOST_TEST(quote("\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80") == "\"\\u00e9 \\u2192 \\ud83d\\ude00\"");
    BOOST_TEST(Json::parse(quote("\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80")).as_string() ==
               "\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80");
    // Invalid bytes (stray continuation, truncated sequence, overlong, surrogate) become U+FFFD.
    BOOST_TEST(quote("\x80") == "\"\\ufffd\"");
    BOOST_TEST(quote("a\xe2\x86") == "\"a\\ufffd\\ufffd\"");
    BOOST_TEST(quote("\xc0\xaf") == "\"\\ufffd\\ufffd\"");
    BOOST_TEST(quote("\xed\xa0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");
}

BOOST_AUTO_TEST_CASE(layouts) {
    Json doc;
    doc.set("b", 1);
    doc.set("a", Json::Array{Json(true), Json(), Json("x")});
    doc.set("e", Json::Object{});
    doc.set("f", Json::Array{});
    BOOST_TEST(doc.dump(Layout::compact) == R"({"b":1,"a":[true,null,"x"],"e":{},"f":[]})");
    BOOST_TEST(doc.dump(Layout::line) == R"({"b": 1, "a": [true, null, "x"], "e": {}, "f": []})");
    BOOST_TEST(doc.dump(Layout::pretty) ==
               "{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null,\n    \"x\"\n  ],\n  \"e\": {},\n  \"f\": []\n}");
}

BOOST_AUTO_TEST_CASE(set_replaces_in_place) {
    Json o;
    o.set("x", 1);
    o.set("y", 2);
    o.set("x", 3);
    BOOST_TEST(o.dump(Layout::compact) == R"({"x":3,"y":2})");
    BOOST_TEST(o.at("x").as_integer() == 3);
    BOOST_TEST(o.find("z") == nullptr);
    BOOST_CHECK_THROW(o.at("z"), JsonError);
    BOOST_CHECK_THROW(o.at("x").as_string(), JsonError);
}

BOOST_AUTO_TEST_CASE(round_trip) {
    Json doc;
    doc.set("text", "tab\there \"quoted\" \\ \xc3\xa9\n\x01");
    doc.set("min", -9223372036854775807LL - 1);
    doc.set("max", 9223372036854775807LL);
    doc.set("zero", 0);
    doc.set("rational", "-13/6");
    Json inner;
    inner.set("deep", Json::Array{Json(Json::Array{Json(1), Json(false)}), Json(Json::Object{})});
    doc.set("nested", inner);
    for (Layout l : {Layout::compact, Layout::line, Layout::pretty}) {
        Json back = Json::parse(doc.dump(l));
        BOOST_TEST((back == doc));
        BOOST_TEST(back.dump(l) == doc.dump(l));
    }
}

BOOST_AUTO_TEST_CASE(reader_escapes) {
    BOOST_TEST(Json::parse(R"("\u00e9\u2192\ud83d\ude00\/")").as_string() == "\xc3\xa9\xe2\x86\x92\xf0\x9f\x98\x80/");
    BOOST_TEST(Json::parse(" [ 1 , -2 ] ").as_array().size() == 2u);
}

BOOST_AUTO_TEST_CASE(reader_rejects) {
    for (const char* bad : {"", "1.5", "1e3", "01", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "\"\\x\"", "\"\\ud800\"",
                            "\"\\udc00\"", "\"a\nb\"", "\"abc", "[1] x", "tru", "99999999999999999999", "\"\xff\""}) {
        BOOST_TEST_CONTEXT("input: " << bad) { BOOST_CHECK_THROW(Json::parse(bad), JsonError); }
    }
}

BOOST_AUTO_TEST_SUITE_END()
