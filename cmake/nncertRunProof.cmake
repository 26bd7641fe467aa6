# Runs one proof script for nncert_add_proofs (nncertConfig.cmake): `nncert check [ARGS] SCRIPT`, shows its
# report, and fails unless the exit code is EXPECT.
#   cmake -DNNCERT=<nncert> -DSCRIPT=<file.nnc> -DEXPECT=<N> [-DARGS=<a;b>] -P nncertRunProof.cmake
execute_process(COMMAND "${NNCERT}" check ${ARGS} "${SCRIPT}" RESULT_VARIABLE code)
if(NOT code STREQUAL "${EXPECT}")
  message(FATAL_ERROR "nncert check ${SCRIPT}: exit code ${code}, expected ${EXPECT} "
                      "(0 certified, 1 refuted, 2 malformed, 3 inconclusive, 4 usage, 5 internal)")
endif()
