# FindGMP.cmake: locates libgmp and gmp.h; defines GMP::GMP.
# On Debian: apt-get install libgmp-dev
find_path(GMP_INCLUDE_DIR NAMES gmp.h)
find_library(GMP_LIBRARY NAMES gmp)
if(NNCERT_STATIC_RUNTIME)
  find_library(GMP_ARCHIVE NAMES libgmp.a)
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(GMP
  REQUIRED_VARS GMP_LIBRARY GMP_INCLUDE_DIR
  FAIL_MESSAGE "libgmp not found: install it with 'apt-get install libgmp-dev' (or run the README set-up command)")
if(GMP_FOUND AND NOT TARGET GMP::GMP)
  add_library(GMP::GMP UNKNOWN IMPORTED)
  # The static archive when NNCERT_STATIC_RUNTIME asks for it and it exists (CMakeLists.txt says why).
  set(GMP_LINKED ${GMP_LIBRARY})
  if(NNCERT_STATIC_RUNTIME AND GMP_ARCHIVE)
    set(GMP_LINKED ${GMP_ARCHIVE})
  endif()
  set_target_properties(GMP::GMP PROPERTIES
    IMPORTED_LOCATION "${GMP_LINKED}"
    INTERFACE_INCLUDE_DIRECTORIES "${GMP_INCLUDE_DIR}")
endif()
mark_as_advanced(GMP_INCLUDE_DIR GMP_LIBRARY GMP_ARCHIVE)
