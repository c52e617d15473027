# Provides the llama.cpp targets `llama` and `ggml` (static) from the pinned
# release, or from a checkout the user names with LLMCAL_LLAMA_SOURCE_DIR.
#
# The pinned source is the pristine upstream llama.cpp release v0.5.0 that the
# npm package node-llama-cpp@3.22.1 ships as a git bundle. It is fetched into
# the build tree once, both its tarball digest and its git tree hash verified,
# and reused on later configures.

set(LLMCAL_LLAMA_SOURCE_DIR "" CACHE PATH
    "Use this llama.cpp checkout instead of the pinned release (no hash check)")

set(LLMCAL_LLAMA_NPM_PACKAGE "node-llama-cpp@3.22.1")
# The npm integrity sha512-bltIipuW...7qfTiDw== written as hex.
set(LLMCAL_LLAMA_TARBALL_SHA512
    "6e5b488a9b9699cd76dc7eed30880318a4ac4ab866865418795502e3c5d38d55bb5c624988927209d95333343f2e25a83e4183a5c2f816f883a60c3ba9f4e20f")
set(LLMCAL_LLAMA_TREE_HASH "fd570ef54b10ec5fecb739e7e04c8ce44a6f415a")
set(LLMCAL_LLAMA_VERSION "v0.5.0")

function(llmcal_check_tree_hash dir)
  execute_process(
    COMMAND git -C "${dir}" rev-parse "HEAD^{tree}"
    OUTPUT_VARIABLE found OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0 OR NOT found STREQUAL LLMCAL_LLAMA_TREE_HASH)
    message(FATAL_ERROR
      "llama.cpp source at ${dir} is not the pinned release ${LLMCAL_LLAMA_VERSION}:\n"
      "  expected git tree hash ${LLMCAL_LLAMA_TREE_HASH}\n"
      "  found                  ${found}\n"
      "Delete ${dir} to fetch it again, or set LLMCAL_LLAMA_SOURCE_DIR to use your own checkout.")
  endif()
  # The tree hash covers committed files only; local edits would go unnoticed.
  execute_process(
    COMMAND git -C "${dir}" status --porcelain --untracked-files=no
    OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT dirty STREQUAL "")
    message(FATAL_ERROR "llama.cpp source at ${dir} has local modifications:\n${dirty}")
  endif()
endfunction()

function(llmcal_fetch_pinned_llama dest)
  set(work "${CMAKE_BINARY_DIR}/_deps/llama-download")
  file(MAKE_DIRECTORY "${work}")
  set(tarball "${work}/node-llama-cpp-3.22.1.tgz")
  if(NOT EXISTS "${tarball}")
    find_program(NPM npm REQUIRED)
    message(STATUS "llama.cpp: npm pack ${LLMCAL_LLAMA_NPM_PACKAGE}")
    execute_process(COMMAND "${NPM}" pack "${LLMCAL_LLAMA_NPM_PACKAGE}" --silent
                    WORKING_DIRECTORY "${work}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "npm pack ${LLMCAL_LLAMA_NPM_PACKAGE} failed (exit ${rc})")
    endif()
  endif()
  file(SHA512 "${tarball}" found)
  if(NOT found STREQUAL LLMCAL_LLAMA_TARBALL_SHA512)
    message(FATAL_ERROR
      "${tarball} does not match the pinned integrity of ${LLMCAL_LLAMA_NPM_PACKAGE}:\n"
      "  expected sha512 ${LLMCAL_LLAMA_TARBALL_SHA512}\n"
      "  found           ${found}\n"
      "Delete the file to download it again.")
  endif()
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E tar xzf "${tarball}" package/llama/gitRelease.bundle
    WORKING_DIRECTORY "${work}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "could not extract package/llama/gitRelease.bundle from ${tarball}")
  endif()
  file(REMOVE_RECURSE "${dest}.partial")
  execute_process(
    COMMAND git clone --quiet "${work}/package/llama/gitRelease.bundle" "${dest}.partial"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "git clone of the llama.cpp bundle failed (exit ${rc})")
  endif()
  llmcal_check_tree_hash("${dest}.partial")
  file(RENAME "${dest}.partial" "${dest}")
  file(REMOVE_RECURSE "${work}/package")
endfunction()

if(LLMCAL_LLAMA_SOURCE_DIR)
  if(NOT EXISTS "${LLMCAL_LLAMA_SOURCE_DIR}/include/llama.h")
    message(FATAL_ERROR "LLMCAL_LLAMA_SOURCE_DIR=${LLMCAL_LLAMA_SOURCE_DIR} holds no include/llama.h")
  endif()
  set(llama_src "${LLMCAL_LLAMA_SOURCE_DIR}")
  message(STATUS "llama.cpp: using the user's checkout ${llama_src} (not hash-checked)")
else()
  set(llama_src "${CMAKE_BINARY_DIR}/_deps/llama.cpp")
  if(NOT EXISTS "${llama_src}")
    llmcal_fetch_pinned_llama("${llama_src}")
  endif()
  llmcal_check_tree_hash("${llama_src}")
  message(STATUS "llama.cpp: pinned release ${LLMCAL_LLAMA_VERSION} at ${llama_src}")
endif()
set(LLMCAL_LLAMA_DIR "${llama_src}" CACHE INTERNAL "llama.cpp source in use")

set(BUILD_SHARED_LIBS OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_COMMON OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_TOOLS OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_TESTS OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_EXAMPLES OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_SERVER OFF CACHE BOOL "" FORCE)
set(LLAMA_OPENSSL OFF CACHE BOOL "" FORCE)
set(LLAMA_CURL OFF CACHE BOOL "" FORCE)
# The RPC back-end lets one model span several machines (rpc-server on each).
set(GGML_RPC ON CACHE BOOL "ggml: use RPC")
add_subdirectory("${llama_src}" "${CMAKE_BINARY_DIR}/_deps/llama-build" EXCLUDE_FROM_ALL SYSTEM)

# Machines that advertise AMX without being able to run it (seen on this
# project's virtual machines: SIGILL in ggml's AMX Q8_0 kernels, cf. llama.cpp
# issue #28328) crash on quantized models when ggml is built with -march=native.
# Build ggml's CPU back-end without AMX unless the user asks for it.
option(LLMCAL_GGML_AMX "Let ggml use AMX instructions when the build machine has them" OFF)
if(NOT LLMCAL_GGML_AMX AND TARGET ggml-cpu AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  target_compile_options(ggml-cpu PRIVATE -mno-amx-tile -mno-amx-int8 -mno-amx-bf16)
endif()
