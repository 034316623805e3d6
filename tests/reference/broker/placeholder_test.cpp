#include <gtest/gtest.h>
#include "reference/broker/core.hpp"
TEST(broker_placeholder, header_compiles) { SUCCEED(); }
