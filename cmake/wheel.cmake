# What a wheel ships besides the extension modules: the C libraries, for C extensions and FFI users.
#
# backoff_wheel_library(<target>): installs the shared library <target> into the wheel's libbackoff/lib
# once, under its SONAME (libbackoff.so.0). A wheel cannot hold symlinks, so installing the library the
# usual way (real file, SONAME link, link name) would put two or three identical copies in it. The SONAME
# is the one name every user needs: the dynamic loader looks it up for a program linked against the
# library, ctypes and cffi open any path, and a linker takes the path itself (`cc app.c <path>`).
function(backoff_wheel_library target)
  get_target_property(output_name ${target} OUTPUT_NAME)
  if(NOT output_name)
    set(output_name ${target})
  endif()
  set(file_name "${CMAKE_SHARED_LIBRARY_PREFIX}${output_name}${CMAKE_SHARED_LIBRARY_SUFFIX}")
  get_target_property(soversion ${target} SOVERSION)
  if(NOT soversion STREQUAL "soversion-NOTFOUND")  # not if(soversion): the SOVERSION "0" is false
    string(APPEND file_name ".${soversion}")
  endif()
  install(FILES $<TARGET_FILE:${target}> DESTINATION libbackoff/lib RENAME ${file_name} COMPONENT python)
endfunction()
