# FindMPFR.cmake: locates libmpfr and mpfr.h; defines MPFR::MPFR.
# On Debian: apt-get install libmpfr-dev
find_path(MPFR_INCLUDE_DIR NAMES mpfr.h)
find_library(MPFR_LIBRARY NAMES mpfr)
if(NNCERT_STATIC_RUNTIME)
  find_library(MPFR_ARCHIVE NAMES libmpfr.a)
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(MPFR
  REQUIRED_VARS MPFR_LIBRARY MPFR_INCLUDE_DIR
  FAIL_MESSAGE "libmpfr not found: install it with 'apt-get install libmpfr-dev' (or run the README set-up command)")
if(MPFR_FOUND AND NOT TARGET MPFR::MPFR)
  add_library(MPFR::MPFR UNKNOWN IMPORTED)
  # The static archive when NNCERT_STATIC_RUNTIME asks for it and it exists (CMakeLists.txt says why).
  set(MPFR_LINKED ${MPFR_LIBRARY})
  if(NNCERT_STATIC_RUNTIME AND MPFR_ARCHIVE)
    set(MPFR_LINKED ${MPFR_ARCHIVE})
  endif()
  set_target_properties(MPFR::MPFR PROPERTIES
    IMPORTED_LOCATION "${MPFR_LINKED}"
    INTERFACE_INCLUDE_DIRECTORIES "${MPFR_INCLUDE_DIR}")
  # A static archive needs what it calls after it on the link line.
  if(NNCERT_STATIC_RUNTIME AND MPFR_ARCHIVE)
    set_target_properties(MPFR::MPFR PROPERTIES INTERFACE_LINK_LIBRARIES GMP::GMP)
  endif()
endif()
mark_as_advanced(MPFR_INCLUDE_DIR MPFR_LIBRARY MPFR_ARCHIVE)
