// json_schema_check SCHEMA.json DOC.json...: exit 0 when every document conforms,
// else prints each violation and exits 1. For the ctest tests of the reports.
#include <fstream>
#include <iostream>

#include "json_schema.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: json_schema_check SCHEMA.json DOC.json...\n";
    return 2;
  }
  auto load = [](const char* path, nlohmann::json& out) {
    std::ifstream in(path);
    out = nlohmann::json::parse(in, nullptr, false);
    if (out.is_discarded()) std::cerr << path << ": not valid JSON\n";
    return !out.is_discarded();
  };
  nlohmann::json schema;
  if (!load(argv[1], schema)) return 2;
  int status = 0;
  for (int i = 2; i < argc; ++i) {
    nlohmann::json doc;
    if (!load(argv[i], doc)) return 1;
    const auto errors = mqttspec::test::validate(schema, doc);
    for (const auto& e : errors) std::cerr << argv[i] << ": " << (e.empty() ? "/" : e) << "\n";
    std::cout << argv[i] << (errors.empty() ? ": conforms\n" : ": " + std::to_string(errors.size()) + " violations\n");
    if (!errors.empty()) status = 1;
  }
  return status;
}
