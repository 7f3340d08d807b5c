# cmake -DPREFIX=... -DSOURCE=... -DC_COMPILER=... -DWORK_DIR=... [-DSTATIC=ON] -P consume_with_pkg_config.cmake
#
# Builds SOURCE the way a Makefile user would, against the tree installed in PREFIX, and runs it with no
# LD_LIBRARY_PATH, as docs/c-retry.md ("Linking") shows:
#   shared  cc app.c $(pkg-config --cflags --libs backoff) -Wl,-rpath,$(pkg-config --variable=libdir backoff)
#   STATIC  cc app.c $(pkg-config --cflags backoff) with `pkg-config --static --libs backoff`, -lbackoff
#           between -Wl,-Bstatic and -Wl,-Bdynamic; then the program must not need libbackoff.so.
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

function(pkg_config out)
  execute_process(COMMAND ${PKG_CONFIG} ${ARGN} backoff
                  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} backoff failed: ${status}")
  endif()
  message(STATUS "pkg-config ${ARGN} backoff: ${flags}")
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(${out} ${flags} PARENT_SCOPE)
endfunction()

pkg_config(cflags --cflags)
pkg_config(libdir --variable=libdir)
if(STATIC)
  pkg_config(libs --static --libs)
  # Both libbackoff.so and libbackoff.a are in libdir, and the linker prefers the shared one.
  list(TRANSFORM libs REPLACE "^-lbackoff$" "-Wl,-Bstatic;-lbackoff;-Wl,-Bdynamic")
  if(NOT libs MATCHES "-lstdc\\+\\+|-lc\\+\\+")
    message(FATAL_ERROR "pkg-config --static --libs backoff names no C++ runtime: ${libs}")
  endif()
else()
  pkg_config(libs --libs)
  list(APPEND libs "-Wl,-rpath,${libdir}")
endif()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(program ${WORK_DIR}/backoff_consumer)
execute_process(COMMAND ${C_COMPILER} -std=c99 -Wall -Wextra -pedantic -Werror ${SOURCE} ${cflags} ${libs} -o ${program}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "compiling ${SOURCE} with the pkg-config flags failed: ${status}")
endif()

if(STATIC)
  execute_process(COMMAND ${CMAKE_COMMAND} -DPROGRAM=${program} -P ${CMAKE_CURRENT_LIST_DIR}/check_static_program.cmake
                  RESULT_VARIABLE status)
else()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=LD_LIBRARY_PATH ${program} RESULT_VARIABLE status)
endif()
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${program} failed: ${status}")
endif()
