# cmake -DPROGRAM=... -P check_static_program.cmake
#
# Checks that PROGRAM, linked with libbackoff.a, needs no libbackoff.so (no DT_NEEDED entry names it), then
# runs it with no LD_LIBRARY_PATH, so that only what is inside the program can serve it.
if(NOT DEFINED PROGRAM)
  message(FATAL_ERROR "check_static_program.cmake: PROGRAM is not set")
endif()

find_program(READELF NAMES readelf REQUIRED)
execute_process(COMMAND ${READELF} --dynamic ${PROGRAM} OUTPUT_VARIABLE dynamic RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "readelf --dynamic ${PROGRAM} failed: ${status}")
endif()
string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*" needed "${dynamic}")
message(STATUS "${PROGRAM} needs: ${needed}")
if(needed MATCHES "libbackoff")
  message(FATAL_ERROR "${PROGRAM} was linked statically but needs libbackoff.so: ${needed}")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=LD_LIBRARY_PATH ${PROGRAM} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} failed: ${status}")
endif()
