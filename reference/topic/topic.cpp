#include "topic.hpp"
