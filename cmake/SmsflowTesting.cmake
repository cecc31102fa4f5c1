# smsflow_add_test(<name> TIER <unit|integration|e2e> SERVICE <ingest|router|consent|sender|lib|tools>
#                  SOURCES ... [LIBS ...] [TIMEOUT seconds])
#
# One GoogleTest executable; every test in it becomes a CTest test labelled with
# its tier and service, so `ctest -L consent` or `ctest -L unit` select them.
include(GoogleTest)

function(smsflow_add_test name)
  cmake_parse_arguments(T "" "TIER;SERVICE;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT T_TIER MATCHES "^(unit|integration|e2e)$")
    message(FATAL_ERROR "smsflow_add_test(${name}): TIER must be unit, integration or e2e")
  endif()
  if(NOT T_SERVICE MATCHES "^(ingest|router|consent|sender|lib|tools)$")
    message(FATAL_ERROR "smsflow_add_test(${name}): unknown SERVICE '${T_SERVICE}'")
  endif()
  if(NOT T_TIMEOUT)
    if(T_TIER STREQUAL "unit")
      set(T_TIMEOUT 60)
    else()
      set(T_TIMEOUT 300)
    endif()
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name}
    TEST_PREFIX "${T_SERVICE}.${T_TIER}."
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 60
    TEST_LIST ${name}_TESTS)
  # Labels and timeout are applied by a second include file that CTest reads
  # after the discovered tests: gtest_discover_tests' own PROPERTIES loses
  # the ';' of a label list in PRE_TEST mode, keeping only the first label.
  set(labels_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake")
  file(WRITE "${labels_file}"
    "if(${name}_TESTS)\n"
    "  set_tests_properties(\${${name}_TESTS} PROPERTIES LABELS \"${T_TIER};${T_SERVICE}\" TIMEOUT ${T_TIMEOUT})\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${labels_file}")
endfunction()
