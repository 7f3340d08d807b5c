# cmake -DPREFIX=... -DSOURCE=... -DC_COMPILER=... -DWORK_DIR=... -P consume_with_pkg_config.cmake
#
# Builds SOURCE the way a Makefile user would, `cc $(pkg-config --cflags --libs backoff)`, against the
# tree installed in PREFIX, and runs it.
foreach(var PREFIX SOURCE C_COMPILER WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "consume_with_pkg_config.cmake: ${var} is not set")
  endif()
endforeach()

find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
file(GLOB pc_files ${PREFIX}/lib*/pkgconfig/backoff.pc ${PREFIX}/lib/*/pkgconfig/backoff.pc)
if(NOT pc_files)
  message(FATAL_ERROR "no backoff.pc under ${PREFIX}")
endif()
get_filename_component(pc_dir "${pc_files}" DIRECTORY)

# Only the installed tree may be searched: a system-wide backoff.pc must not stand in for ours.
set(ENV{PKG_CONFIG_LIBDIR} ${pc_dir})
set(ENV{PKG_CONFIG_PATH} "")
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs backoff
                OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs backoff failed: ${status}")
endif()
message(STATUS "pkg-config --cflags --libs backoff: ${flags}")
separate_arguments(flags UNIX_COMMAND "${flags}")

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(program ${WORK_DIR}/backoff_consumer)
execute_process(COMMAND ${C_COMPILER} -std=c99 -Wall -Wextra -pedantic -Werror ${SOURCE} ${flags} -o ${program}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "compiling ${SOURCE} with the pkg-config flags failed: ${status}")
endif()

# pkg-config gives no run path, so the loader is told where the installed library lives.
string(REGEX MATCH "-L[^;]+" libdir_flag "${flags}")
string(SUBSTRING "${libdir_flag}" 2 -1 libdir)
execute_process(COMMAND ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${libdir} ${program} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${program} failed: ${status}")
endif()
