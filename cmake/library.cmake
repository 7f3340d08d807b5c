# What every library target of ours shares, so core/, capi/ and jobs/ state it once.

# backoff_public_include(target dir): `dir` holds target's public headers, in the build tree and (once
# installed) in the install prefix's include directory.
function(backoff_public_include target dir)
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${dir}> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
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
