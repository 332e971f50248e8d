//===- DLToLinalg.h - dl to linalg lowering patterns ------------*- C++ -*-===//
//
// Part of dlc. One populate function per op family; each lives in its own
// file of this directory. ConvertDLToLinalgPass applies all of them.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_CONVERSION_DLTOLINALG_DLTOLINALG_H
#define DLC_DL_CONVERSION_DLTOLINALG_DLTOLINALG_H

#include "mlir/IR/PatternMatch.h"

namespace dlc::dl {

/// dl.attention and dl.attention_backward -> fused loop nests of tiles.
void populateDLAttentionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// add, sub, mul, div, maximum, minimum, neg, relu, sigmoid, tanh, exp, log,
/// sqrt, step, sign, floor, cos, sin -> broadcasting linalg.generic.
void populateDLElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// matmul -> linalg.matmul / linalg.batch_matmul on a zero-filled init.
void populateDLMatmulToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// conv2d, conv2d_backward_input, conv2d_backward_filter -> correlation
/// linalg.generic ops (Conv.cpp).
void populateDLConvToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// max_pool2d, avg_pool2d and their backward ops -> window reductions and
/// strided slice updates (Pool.cpp).
void populateDLPoolToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// dl.batch_norm and dl.batch_norm_backward (Normalization.cpp).
void populateDLNormalizationToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// slice, slice_backward, concat -> tensor slices; embedding -> a gathering
/// generic; embedding_backward -> a scatter-add loop (Indexing.cpp).
void populateDLIndexingToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// scan -> one scf.for carrying its carries and stacked outputs; the body's
/// dl ops move into the loop (Loops.cpp).
void populateDLLoopsToSCFPatterns(mlir::RewritePatternSet &patterns);

/// dropout -> an elementwise generic drawing Philox4x32-10 per element
/// (Random.cpp).
void populateDLRandomToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// sum, mean, max -> reduction linalg.generic (+ expand_shape for keepdims).
void populateDLReductionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// constant, fill, reshape, transpose, broadcast -> arith/tensor/linalg.
void populateDLShapeToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// softmax, log_softmax, cross_entropy -> max/sum reductions and generics;
/// one_hot -> a generic comparing the class index with the label.
void populateDLSoftmaxToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// All of the above.
void populateDLToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace dlc::dl

#endif // DLC_DL_CONVERSION_DLTOLINALG_DLTOLINALG_H
