// Result<T> is part of the public API; internal code includes it from here.
#pragma once

#include "tls13/result.h"
