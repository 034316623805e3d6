// A scenario as loaded from YAML (docs/scenarios.md is the format). Plain data: the
// loader builds it, the runner executes it. Every element keeps its source position
// so errors point at file:line:col.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "netem/impairment.hpp"
#include "reference/codec/types.hpp"

namespace mqttspec::scenario {

struct position {
  std::string file;
  int line = 0;  // 1-based
  int col = 0;   // 1-based
};

/// A field matcher of an expect step.
struct matcher {
  enum class kind : std::uint8_t { exact, any, present, absent, regex, one_of, range } what = kind::exact;
  std::vector<std::string> values;  // exact: 1; one_of: n; regex: 1; range: 2 (numbers as text)
  position at;
};

/// A user property list or a single property value, matched by name.
struct property_match {
  std::string name;  // "user_property", "message_expiry_interval", ...
  matcher value;     // for user_property with exact: values hold k1, v1, k2, v2, ...
};

struct will_spec {
  std::string topic;
  std::string payload;
  std::uint8_t qos = 0;
  bool retain = false;
  std::map<std::string, std::string> properties;  // name -> value text
  std::vector<std::pair<std::string, std::string>> user_properties;
};

struct client_spec {
  std::string name;
  position at;
  bool raw = false;
  bool auto_ack = true;
  std::optional<std::string> client_id;  // nullopt: the name; "" allowed
  bool clean_start = true;
  std::uint16_t keepalive_s = 60;
  std::optional<will_spec> will;
  std::optional<std::string> user, password;
  std::map<std::string, std::string> properties;  // CONNECT properties by name
  std::vector<std::pair<std::string, std::string>> user_properties;
  std::optional<std::vector<netem::impairment_spec>> link;
};

struct subscription_spec {
  std::string filter;
  std::uint8_t qos = 0;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint8_t retain_handling = 0;
};

// --- steps ---------------------------------------------------------------------

struct connect_step {
  std::map<std::string, matcher> expect;  // CONNACK fields: rc, session_present, properties.<name>
  std::vector<property_match> expect_properties;
  std::optional<bool> clean_start;        // overrides the client's
  bool wait = true;                       // wait for CONNACK
};
struct subscribe_step {
  std::vector<subscription_spec> topics;
  std::map<std::string, std::string> properties;
  std::vector<std::pair<std::string, std::string>> user_properties;
  std::optional<std::vector<std::string>> expect;  // SUBACK codes by name or number
  std::optional<std::uint16_t> id;                 // raw clients
  bool wait = true;
};
struct unsubscribe_step {
  std::vector<std::string> filters;
  std::optional<std::vector<std::string>> expect;
  std::optional<std::uint16_t> id;
  bool wait = true;
};
struct publish_step {
  std::string topic;
  std::string payload;  // bytes
  std::uint8_t qos = 0;
  bool retain = false;
  bool dup = false;
  std::optional<std::uint16_t> id;
  std::map<std::string, std::string> properties;
  std::vector<std::pair<std::string, std::string>> user_properties;
  bool wait = true;
};
struct disconnect_step {
  std::string rc = "success";
  std::map<std::string, std::string> properties;
  std::vector<std::pair<std::string, std::string>> user_properties;
};
struct close_step {
  bool reset = false;
};
struct send_step {
  std::string bytes;  // decoded from hex by the loader
  std::string hex;    // as written
};
struct expect_packet_step {
  std::string type;                        // "publish", "puback", ..., lower case
  std::map<std::string, matcher> fields;   // topic, payload, qos, retain, dup, id, rc, session_present, codes
  std::vector<property_match> properties;
};
struct expect_nothing_step {
  std::optional<std::string> type;  // "expect no publish": only that type counts
  double for_s = 1;
};
struct expect_close_step {
  std::vector<std::string> also_allowed;  // "disconnect malformed_packet", "connack 0x84"
  std::vector<std::string> non_strict;
};
struct link_step {
  std::optional<netem::impairment_spec> add;  // blackhole, partition, latency...
  bool clear = false;
  bool reset = false;
  bool close = false;
};
struct wait_step {
  double seconds = 0;
};

using action = std::variant<connect_step, subscribe_step, unsubscribe_step, publish_step, disconnect_step, close_step,
                            send_step, expect_packet_step, expect_nothing_step, expect_close_step, link_step, wait_step>;

struct step {
  std::string actor;  // a client name; for link steps the client cut; "" for wait
  action what;
  std::optional<std::pair<double, double>> within_s;  // [lo, hi]
  // After hi but by late_s the step is met late: non-strict, for a MUST with no stated
  // deadline (a keep-alive close). Later, or never, fails.
  std::optional<double> late_s;
  position at;
};

struct scenario {
  std::string id;
  std::string title;
  std::string quote;
  std::vector<mqtt::protocol_version> protocols;
  std::map<mqtt::protocol_version, std::vector<std::string>> spec;  // ids per version
  std::vector<std::string> tags;
  std::vector<std::string> requires_;
  double timeout_s = 60;
  bool namespaced = true;
  // Real time: run this many samples at once, each started stagger_s after the one
  // before; the case's verdict is the worst. A broker that checks its timers on a
  // coarse sweep then meets the window by the luck of its phase in no sample set.
  unsigned samples = 1;
  double stagger_s = 2;
  std::vector<netem::impairment_spec> link;
  std::vector<client_spec> clients;
  std::vector<step> steps;
  std::map<std::string, std::string> parameters;  // the values this expansion used
  position at;
};

/// One runnable case: a scenario (parameters already expanded) for one protocol version.
struct test_case {
  std::string id;  // "will/keepalive-timeout[qos=1]@5"
  const scenario* source;
  mqtt::protocol_version version;
};

}  // namespace mqttspec::scenario
