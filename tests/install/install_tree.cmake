# cmake -DBUILD_DIR=... -DINSTALLED=... -DRELOCATED=... -P install_tree.cmake
#
# Installs the build tree BUILD_DIR into INSTALLED, then moves the result to RELOCATED, where the
# consumer tests look for it.
foreach(var BUILD_DIR INSTALLED RELOCATED)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_tree.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE ${INSTALLED} ${RELOCATED})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${INSTALLED}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} failed: ${status}")
endif()
file(RENAME ${INSTALLED} ${RELOCATED})
message(STATUS "installed tree moved to ${RELOCATED}")
