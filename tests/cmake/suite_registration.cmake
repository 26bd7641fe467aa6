# ctest unit.suite_registration: every top-level entry of the unit-test binary is a suite that ctest runs.
# ctest runs each suite alone (`--run_test=<suite>`, tests/CMakeLists.txt), so a test case written outside
# every BOOST_AUTO_TEST_SUITE, or a suite the configure-time scan does not see (declared another way), would be
# compiled and never run: d9b38a9 found three such cases. This compares `--list_content`'s top-level names
# (Boost.Test prints them unindented on stderr, a trailing '*' marking enabled ones) with the registered list.
# Inputs: -DBINARY=<nncert_unit_tests> -DSUITES=<comma-separated registered suites>.
cmake_minimum_required(VERSION 3.16)
execute_process(COMMAND ${BINARY} --list_content
                OUTPUT_VARIABLE out ERROR_VARIABLE listing RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BINARY} --list_content failed (${rc}): ${out}${listing}")
endif()
string(REPLACE "," ";" registered "${SUITES}")
string(REPLACE "\n" ";" lines "${listing}")
set(count 0)
set(unrun "")
foreach(line IN LISTS lines)
  if(line MATCHES "^([A-Za-z0-9_]+)\\*?$")
    math(EXPR count "${count} + 1")
    if(NOT CMAKE_MATCH_1 IN_LIST registered)
      list(APPEND unrun ${CMAKE_MATCH_1})
    endif()
  elseif(NOT line MATCHES "^ " AND NOT line STREQUAL "")
    message(FATAL_ERROR "unexpected --list_content line: '${line}'")
  endif()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "--list_content listed no test at all:\n${listing}")
endif()
if(unrun)
  message(FATAL_ERROR "top-level entries no ctest test runs (a test case outside every "
                      "BOOST_AUTO_TEST_SUITE, or a suite not declared as `BOOST_AUTO_TEST_SUITE(name)` at the "
                      "start of a line): ${unrun}")
endif()
message(STATUS "${count} top-level suites, each run by its own ctest test")
