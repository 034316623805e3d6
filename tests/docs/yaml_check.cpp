// yaml_check: loads a CI recipe (docs/ci/*.yml) with yaml-cpp, the YAML parser mqttspec
// already links, so the recipe test needs neither Python nor Node on the CI machine.
//
//   yaml_check commands FILE   the value of every run:, script:, before_script: and
//                              after_script: (each item of a list), each ended by a NUL
//   yaml_check leaves FILE     every scalar as PATH<TAB>VALUE, one a line (a null: an
//                              empty VALUE); PATH is /key/index/..., a newline in
//                              VALUE is written as \n
//
// Exit status 1, with file:line:col: message, when the file does not parse or a
// mapping has a key twice (GitHub and GitLab refuse both); 2 on usage errors.
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <iostream>
#include <set>
#include <string>

namespace {

bool failed = false;

std::string where(const std::string& file, const YAML::Node& n) {
  const auto m = n.Mark();
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

bool is_command_key(const std::string& k) {
  return k == "run" || k == "script" || k == "before_script" || k == "after_script";
}

void print_command(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\0', stdout);
}

void walk(const std::string& file, const YAML::Node& n, const std::string& path, bool commands) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      std::set<std::string> seen;
      for (const auto& kv : n) {
        const auto key = kv.first.Scalar();
        if (!seen.insert(key).second) {
          std::cerr << where(file, kv.first) << ": key '" << key << "' appears twice\n";
          failed = true;
        }
        if (commands && is_command_key(key)) {
          if (kv.second.IsScalar()) print_command(kv.second.Scalar());
          else if (kv.second.IsSequence())
            for (const auto& item : kv.second)
              if (item.IsScalar()) print_command(item.Scalar());
        }
        walk(file, kv.second, path + "/" + key, commands);
      }
      break;
    }
    case YAML::NodeType::Sequence: {
      std::size_t i = 0;
      for (const auto& item : n) walk(file, item, path + "/" + std::to_string(i++), commands);
      break;
    }
    case YAML::NodeType::Scalar:
      if (!commands) std::cout << path << "\t" << escaped(n.Scalar()) << "\n";
      break;
    case YAML::NodeType::Null:  // `push:` with nothing after it
      if (!commands) std::cout << path << "\t\n";
      break;
    default:
      break;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "commands" && std::string(argv[1]) != "leaves")) {
    std::cerr << "usage: yaml_check commands|leaves FILE\n";
    return 2;
  }
  const std::string file = argv[2];
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(file);
  } catch (const YAML::ParserException& e) {
    std::cerr << file << ":" << e.mark.line + 1 << ":" << e.mark.column + 1 << ": " << e.msg << "\n";
    return 1;
  } catch (const YAML::Exception& e) {
    std::cerr << file << ": " << e.what() << "\n";
    return 1;
  }
  if (!doc.IsMap()) {
    std::cerr << file << ": the document is not a mapping\n";
    return 1;
  }
  walk(file, doc, "", std::string(argv[1]) == "commands");
  std::cout.flush();
  return failed ? 1 : 0;
}
