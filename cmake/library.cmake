# What every library target of ours shares, so core/, capi/ and jobs/ state it once.

# backoff_library_interface(target alias): what users of target see: the name backoff::<alias>, and the
# public headers in the calling directory's include/, from the build tree and (once installed) from the
# install prefix's include directory.
function(backoff_library_interface target alias)
  add_library(backoff::${alias} ALIAS ${target})
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
                                              $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
endfunction()

# backoff_exported_library(target version_script header): a shared library with a stable C ABI. It
# exports only what `version_script` lists (hidden visibility plus the script), carries the project's
# version and soname, installs `header`, and compiles with our warnings.
function(backoff_exported_library target version_script header)
  set_target_properties(${target} PROPERTIES
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR}
    PUBLIC_HEADER ${header}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS ${version_script})
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    # --no-undefined: a missing definition fails the link here, not at a user's dlopen.
    target_link_options(${target} PRIVATE "LINKER:--version-script=${version_script}" "LINKER:--no-undefined")
  endif()
  backoff_warnings(${target})
endfunction()
