# FindMPFI.cmake: locates libmpfi and mpfi.h; defines MPFI::MPFI.
# On Debian: apt-get install libmpfi-dev
find_path(MPFI_INCLUDE_DIR NAMES mpfi.h)
find_library(MPFI_LIBRARY NAMES mpfi)
if(NNCERT_STATIC_RUNTIME)
  find_library(MPFI_ARCHIVE NAMES libmpfi.a)
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(MPFI
  REQUIRED_VARS MPFI_LIBRARY MPFI_INCLUDE_DIR
  FAIL_MESSAGE "libmpfi not found: install it with 'apt-get install libmpfi-dev' (or run the README set-up command)")
if(MPFI_FOUND AND NOT TARGET MPFI::MPFI)
  add_library(MPFI::MPFI UNKNOWN IMPORTED)
  # The static archive when NNCERT_STATIC_RUNTIME asks for it and it exists (CMakeLists.txt says why).
  set(MPFI_LINKED ${MPFI_LIBRARY})
  if(NNCERT_STATIC_RUNTIME AND MPFI_ARCHIVE)
    set(MPFI_LINKED ${MPFI_ARCHIVE})
  endif()
  set_target_properties(MPFI::MPFI PROPERTIES
    IMPORTED_LOCATION "${MPFI_LINKED}"
    INTERFACE_INCLUDE_DIRECTORIES "${MPFI_INCLUDE_DIR}")
  # A static archive needs what it calls after it on the link line.
  if(NNCERT_STATIC_RUNTIME AND MPFI_ARCHIVE)
    set_target_properties(MPFI::MPFI PROPERTIES INTERFACE_LINK_LIBRARIES MPFR::MPFR)
  endif()
endif()
mark_as_advanced(MPFI_INCLUDE_DIR MPFI_LIBRARY MPFI_ARCHIVE)
