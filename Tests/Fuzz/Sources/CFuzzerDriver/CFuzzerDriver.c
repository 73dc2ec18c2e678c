// Nothing to compile: the target only exports CFuzzerDriver.h. SwiftPM needs one source file per C target.
#include "CFuzzerDriver.h"
