# Installs the C library: libbackoff.so and libbackoff.a, backoff.h, the CMake package (find_package(backoff)
# -> backoff::backoff, backoff::static) and backoff.pc (`pkg-config --static` for the archive). Included by the top-level CMakeLists.txt when BACKOFF_INSTALL is on.
#
# Components: `runtime` is the versioned shared object a program needs to run; `dev` is what building
# against it needs (header, unversioned symlink, CMake and pkg-config files), as Debian splits
# libbackoff0 / libbackoff-dev.
#
# Only the C ABI is installed. The C++ core (backoff::core) stays a build-tree target: its headers and
# its C++ ABI carry no stability promise, a static C++ archive would tie users to our compiler and
# standard library, and every runtime other than our own Python module goes through the C ABI anyway.
# libbackoff.a holds the core's objects behind the same C ABI, so it is a C library like the shared one; it
# goes with `dev`, as Debian ships static archives in the -dev package.
include(CMakePackageConfigHelpers)

set(backoff_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/backoff)

install(TARGETS backoff backoff_static EXPORT backoffTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT backoffTargets NAMESPACE backoff:: DESTINATION ${backoff_cmake_dir} COMPONENT dev)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/backoffConfig.cmake.in
  ${PROJECT_BINARY_DIR}/backoffConfig.cmake
  INSTALL_DESTINATION ${backoff_cmake_dir})
# The SONAME is libbackoff.so.<major>, so any library of the same major version serves a consumer.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/backoffConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/backoffConfig.cmake ${PROJECT_BINARY_DIR}/backoffConfigVersion.cmake
  DESTINATION ${backoff_cmake_dir} COMPONENT dev)

# backoff.pc finds its prefix from its own location (${pcfiledir}), so an installed tree still works
# after it is moved, and so does `cmake --install --prefix` into a directory chosen after configuring.
# An absolute CMAKE_INSTALL_LIBDIR or INCLUDEDIR cannot move with the tree and is written as given.
set(backoff_pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(backoff_pc_prefix "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH backoff_pc_up "${CMAKE_INSTALL_PREFIX}/${backoff_pc_dir}" "${CMAKE_INSTALL_PREFIX}")
  string(REGEX REPLACE "/$" "" backoff_pc_up "${backoff_pc_up}")
  set(backoff_pc_prefix "\${pcfiledir}/${backoff_pc_up}")
endif()
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(backoff_pc_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(backoff_pc_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
# Libs.private, for `pkg-config --static`: what backoff::static links after the archive (the C++ runtime, the
# threads library if it is not in libc), as linker flags.
find_package(Threads REQUIRED)
get_target_property(backoff_static_needs backoff_static INTERFACE_LINK_LIBRARIES)
set(backoff_pc_libs_private "")
foreach(item IN LISTS backoff_static_needs)
  if(item STREQUAL "Threads::Threads")
    if(CMAKE_THREAD_LIBS_INIT)
      list(APPEND backoff_pc_libs_private ${CMAKE_THREAD_LIBS_INIT})
    endif()
  else()
    list(APPEND backoff_pc_libs_private -l${item})
  endif()
endforeach()
list(JOIN backoff_pc_libs_private " " backoff_pc_libs_private)
configure_file(${CMAKE_CURRENT_LIST_DIR}/backoff.pc.in ${PROJECT_BINARY_DIR}/backoff.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/backoff.pc DESTINATION ${backoff_pc_dir} COMPONENT dev)
