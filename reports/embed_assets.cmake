# Turns every file of ASSET_DIR into a raw string literal in OUT, so the report needs
# no files at run time. Run as: cmake -DASSET_DIR=... -DOUT=... -P embed_assets.cmake
file(GLOB files RELATIVE ${ASSET_DIR} ${ASSET_DIR}/*)
list(SORT files)
set(body "// Generated from reports/assets by embed_assets.cmake; do not edit.\n")
string(APPEND body "#include \"reports/assets.hpp\"\n\nnamespace mqttspec::reports {\n\n")
string(APPEND body "std::string_view asset(std::string_view name) {\n")
foreach(f ${files})
  file(READ ${ASSET_DIR}/${f} content)
  string(FIND "${content}" ")mqttspec_asset\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw string delimiter")
  endif()
  string(APPEND body "  if (name == \"${f}\")\n    return R\"mqttspec_asset(${content})mqttspec_asset\";\n")
endforeach()
string(APPEND body "  return {};\n}\n\n}  // namespace mqttspec::reports\n")
file(WRITE ${OUT}.tmp "${body}")
# Only touch OUT when it changed, so unrelated asset saves do not relink everything.
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
