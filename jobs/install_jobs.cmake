# Installs libbackoff_jobs.so, backoff_jobs.h and backoff_jobs.pc, after cmake/install.cmake has set up
# the prefix-relative pkg-config variables (backoff_pc_prefix, backoff_pc_LIBDIR, backoff_pc_INCLUDEDIR).
# The CMake package stays libbackoff's own: find_package(backoff) also imports backoff::jobs when built.
install(TARGETS backoff_jobs EXPORT backoffTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
configure_file(${CMAKE_CURRENT_LIST_DIR}/backoff_jobs.pc.in ${PROJECT_BINARY_DIR}/backoff_jobs.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/backoff_jobs.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
