#include <gtest/gtest.h>
#include "reference/topic/topic.hpp"
TEST(topic_placeholder, header_compiles) { SUCCEED(); }
