# backoff_warnings(target): the warning set every target of ours compiles with.
function(backoff_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                             -Wno-sign-conversion $<$<BOOL:${BACKOFF_WERROR}>:-Werror>)
  endif()
endfunction()
