// The target's helpers are static inline functions of include/CVigieSupport.h; SwiftPM
// needs one source file per C target.
#include "CVigieSupport.h"
