// mqttspec decode [--protocol 3.1.1|5] [--dump] HEX...  |  --stdin
#include <boost/program_options.hpp>
#include <iostream>
#include <iterator>

#include "commands.hpp"
#include "reference/codec/hex.hpp"
#include "reference/codec/packets/fields.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace po = boost::program_options;

namespace mqttspec::cli {

namespace {

void print_error(const mqtt::decode_error& e, std::uint64_t at, mqtt::bytes_view frame) {
  std::cout << "error at byte " << at + e.offset << ": " << e.what << "\n";
  if (!e.spec_id.empty()) std::cout << "  breaks: " << e.spec_id << "\n";
  std::cout << "  reason: " << mqtt::name(e.code) << " (" << mqtt::hex_byte(std::uint8_t(e.code)) << ")\n";
  if (!frame.empty()) std::cout << "  packet: " << mqtt::to_hex(frame) << "\n";
}

// Decodes a byte stream packet by packet; returns 2 at the first error.
int decode_stream(mqtt::stream_decoder& d, bool dump, bool end_of_input) {
  for (;;) {
    const auto at = d.offset();
    auto r = d.next_frame();
    if (!r) {
      print_error(r.error(), 0, {});
      return 2;
    }
    if (!*r) break;
    const mqtt::bytes_view frame = **r;
    auto p = mqtt::decode(frame, d.version());
    if (!p) {
      print_error(p.error(), at, frame);
      return 2;
    }
    if (auto* c = std::get_if<mqtt::connect>(&*p)) d.set_version(c->version);
    std::cout << (dump ? mqtt::dump(*p, d.version(), frame) : "@" + std::to_string(at) + " " + mqtt::to_string(*p, d.version()) + "\n");
  }
  if (end_of_input && d.buffered() > 0) {
    std::cout << "error at byte " << d.offset() << ": the input ends inside a packet (" << d.buffered()
              << " bytes left over)\n";
    return 2;
  }
  return 0;
}

}  // namespace

int decode_command(const std::vector<std::string>& args) {
  po::options_description opts("mqttspec decode [options] HEX...\n\n"
                               "Decodes MQTT control packets from hex (spaces and '|' ignored) or from a raw\n"
                               "byte stream on standard input, and prints each packet or the exact error with\n"
                               "its byte offset and the normative statement it breaks. Exit status 2 on\n"
                               "malformed input.\n\noptions");
  std::string protocol = "5";
  opts.add_options()("help,h", "show this help")(
      "protocol,p", po::value(&protocol)->default_value("5"),
      "protocol version of packets before any CONNECT: 3.1.1 or 5 (a CONNECT sets it)")(
      "stdin", "read raw bytes (not hex) from standard input")("dump,d", "print every field on its own line, with hex");
  po::options_description hidden;
  hidden.add_options()("hex", po::value<std::vector<std::string>>(), "hex");
  po::positional_options_description pos;
  pos.add("hex", -1);
  po::options_description all;
  all.add(opts).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "mqttspec decode: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts << "\nexample:\n  mqttspec decode --protocol 3.1.1 '32 0a | 00 03 61 2f 62 | 00 07 | 68 69 21'\n";
    return 0;
  }
  mqtt::protocol_version v;
  if (protocol == "5" || protocol == "5.0") v = mqtt::protocol_version::v5;
  else if (protocol == "3.1.1" || protocol == "4") v = mqtt::protocol_version::v311;
  else {
    std::cerr << "mqttspec decode: --protocol must be 3.1.1 or 5, not '" << protocol << "'\n";
    return 2;
  }
  const bool dump = vm.count("dump") > 0;
  mqtt::stream_decoder d(v);
  if (vm.count("stdin") && vm.count("hex")) {
    std::cerr << "mqttspec decode: give HEX arguments or --stdin, not both\n";
    return 2;
  }
  if (vm.count("stdin")) {
    std::string chunk(64 * 1024, '\0');
    while (std::cin.read(chunk.data(), std::streamsize(chunk.size())) || std::cin.gcount() > 0) {
      d.feed(mqtt::bytes_view(chunk.data(), std::size_t(std::cin.gcount())));
      if (int rc = decode_stream(d, dump, false); rc != 0) return rc;
    }
    return decode_stream(d, dump, true);
  }
  if (!vm.count("hex")) {
    std::cerr << "mqttspec decode: give HEX arguments or --stdin (see --help)\n";
    return 2;
  }
  // An empty argument is most often a shell variable that expanded to nothing:
  // decoding zero bytes would report success on no input.
  const auto& hex = vm["hex"].as<std::vector<std::string>>();
  for (std::size_t i = 0; i < hex.size(); ++i)
    if (hex[i].find_first_not_of(" \t\n|") == std::string::npos) {
      std::cerr << "mqttspec decode: HEX argument " << i + 1 << " is empty: give the packet bytes in hex (see --help)\n";
      return 2;
    }
  std::string text;
  for (const auto& h : hex) text += h + " ";
  auto bytes = mqtt::parse_hex(text);
  if (!bytes.ok) {
    std::cerr << "mqttspec decode: bad hex at character " << bytes.error_at << ": " << bytes.error << "\n";
    return 2;
  }
  d.feed(bytes.bytes);
  return decode_stream(d, dump, true);
}

}  // namespace mqttspec::cli
