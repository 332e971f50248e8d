//===- dlrt/dlrt.h - everything of the dlc runtime --------------*- C++ -*-===//
#ifndef DLRT_DLRT_H
#define DLRT_DLRT_H

#include "dlrt/abi.h"
#include "dlrt/checkpoint.h"
#include "dlrt/datasets.h"
#include "dlrt/error.h"
#include "dlrt/io.h"
#include "dlrt/json.h"
#include "dlrt/model.h"
#include "dlrt/random.h"
#include "dlrt/tensor.h"
#include "dlrt/threads.h"
#include "dlrt/trainer.h"

#endif // DLRT_DLRT_H
