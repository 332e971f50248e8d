//===- DLOps.td - dl dialect operations --------------------*- tablegen -*-===//
//
// Part of dlc. Operation definitions of the `dl` dialect.
//
// Op families, in order: constants, matmul, broadcasting binary arithmetic,
// unary elementwise, reductions, shape ops, softmax and losses, modes. To add
// an op, follow docs/architecture.md ("How to add an op"). Every op with
// operands on a gradient path implements DifferentiableOpInterface; its VJP
// is in Gradients/, in the file of its family.
//
//===----------------------------------------------------------------------===//

#ifndef DL_OPS_TD
#define DL_OPS_TD

include "DL/IR/DLDialect.td"
include "DL/IR/DLInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// The gradient interface, declared on a single-result op: it defines
/// `buildVJP` (docs/autodiff.md).
defvar DL_Differentiable =
    DeclareOpInterfaceMethods<DL_DifferentiableOpInterface, ["buildVJP"]>;
/// The gradient interface, declared on an op with several results: it
/// defines `buildMultiResultVJP`, given one cotangent per result.
defvar DL_MultiResultDifferentiable =
    DeclareOpInterfaceMethods<DL_DifferentiableOpInterface,
                              ["buildMultiResultVJP"]>;
/// The gradient of an op with regions, which differentiates its own body: it
/// defines `buildRegionVJP`.
defvar DL_DifferentiableRegion =
    DeclareOpInterfaceMethods<DL_DifferentiableRegionOpInterface>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def DL_ConstantOp : DL_Op<"constant",
    [ConstantLike, Pure, InferTypeOpAdaptor]> {
  let summary = "A tensor constant";
  let description = [{
    Produces a tensor whose contents are given by an elements attribute. The
    result type is the attribute's type, which must be statically shaped.

    ```mlir
    %w = dl.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs DL_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def DL_FillOp : DL_Op<"fill", [Pure]> {
  let summary = "A tensor with every element equal to one value";
  let description = [{
    Produces a tensor of the result type with every element set to `value`.
    For an integer result, `value` must be integral. Folds to a splat
    `dl.constant`.

    ```mlir
    %z = dl.fill 0.0 : tensor<64x10xf32>
    ```
  }];
  let arguments = (ins F64Attr:$value);
  let results = (outs DL_Tensor:$result);
  let assemblyFormat = "$value attr-dict `:` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The fill value as an attribute of the result's element type.
    ::mlir::TypedAttr getElementAttr();
  }];
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

def DL_MatmulOp
    : DL_Op<"matmul", [Pure, InferTypeOpAdaptor, DL_Differentiable]> {
  let summary = "Matrix product, optionally batched";
  let description = [{
    Multiplies `lhs` of shape [B..., M, K] by `rhs` of shape [B..., K, N],
    giving [B..., M, N]. Both operands have the same rank (at least 2), the
    same leading batch dimensions and the same floating-point element type.

    ```mlir
    %y = dl.matmul %x, %w : tensor<64x784xf32>, tensor<784x256xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$lhs, DL_FloatTensor:$rhs);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

//===----------------------------------------------------------------------===//
// Broadcasting binary arithmetic
//===----------------------------------------------------------------------===//

/// Elementwise binary op with NumPy broadcasting: shapes are aligned at the
/// right and each pair of dimensions must be equal or one of them 1.
class DL_BinaryOp<string mnemonic, string what, list<Trait> traits = []>
    : DL_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor,
                                           DL_Differentiable])> {
  let summary = "Elementwise " # what # " with broadcasting";
  let description = [{
    Computes the elementwise }] # what # [{ of `lhs` and `rhs`. The operands
    share an element type; their shapes broadcast as in NumPy (aligned at the
    right, each dimension pair equal or one of them 1) to the result shape.

    ```mlir
    %y = dl.}] # mnemonic # [{ %x, %b : tensor<64x256xf32>, tensor<256xf32>
    ```
  }];
  let arguments = (ins DL_Tensor:$lhs, DL_Tensor:$rhs);
  let results = (outs DL_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
  let hasFolder = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      return ::dlc::dl::inferBroadcastBinaryType(
          getOperationName(), location, adaptor.getLhs().getType(),
          adaptor.getRhs().getType(), inferredReturnTypes);
    }
  }];
}

def DL_AddOp : DL_BinaryOp<"add", "sum", [Commutative]>;
def DL_SubOp : DL_BinaryOp<"sub", "difference">;
def DL_MulOp : DL_BinaryOp<"mul", "product", [Commutative]>;
def DL_DivOp : DL_BinaryOp<"div", "quotient">;
def DL_MaximumOp : DL_BinaryOp<"maximum", "maximum", [Commutative]>;
def DL_MinimumOp : DL_BinaryOp<"minimum", "minimum", [Commutative]>;

//===----------------------------------------------------------------------===//
// Unary elementwise
//===----------------------------------------------------------------------===//

/// Elementwise unary op: the result has the operand's type.
class DL_UnaryOp<string mnemonic, string formula, Type tensorType = DL_FloatTensor,
                 list<Trait> traits = []>
    : DL_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType,
                                           DL_Differentiable])> {
  let summary = "Elementwise " # mnemonic;
  let description = [{
    Computes `}] # formula # [{` for every element `x` of `input`; the
    result has the operand's type.

    ```mlir
    %y = dl.}] # mnemonic # [{ %x : tensor<64x256xf32>
    ```
  }];
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def DL_NegOp : DL_UnaryOp<"neg", "-x", DL_Tensor> { let hasFolder = 1; }
def DL_ReluOp : DL_UnaryOp<"relu", "max(x, 0)"> { let hasFolder = 1; }
def DL_SigmoidOp : DL_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def DL_TanhOp : DL_UnaryOp<"tanh", "tanh(x)">;
def DL_ExpOp : DL_UnaryOp<"exp", "exp(x)">;
def DL_LogOp : DL_UnaryOp<"log", "log(x)">;
def DL_SqrtOp : DL_UnaryOp<"sqrt", "sqrt(x)">;
def DL_StepOp : DL_UnaryOp<"step", "x > 0 ? 1 : 0">;
def DL_FloorOp : DL_UnaryOp<"floor", "floor(x)">;
def DL_CosOp : DL_UnaryOp<"cos", "cos(x)">;
def DL_SinOp : DL_UnaryOp<"sin", "sin(x)">;
def DL_SignOp : DL_UnaryOp<"sign", "x > 0 ? 1 : (x < 0 ? -1 : 0)">;
def DL_ErfOp : DL_UnaryOp<"erf", "erf(x)">;
def DL_GeluOp : DL_UnaryOp<"gelu", "x / 2 (1 + erf(x / sqrt(2)))">;
def DL_GeluTanhOp : DL_UnaryOp<"gelu_tanh",
    "x / 2 (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))">;

def DL_CastOp : DL_Op<"cast", [Pure, DL_Differentiable]> {
  let summary = "Elementwise conversion to another element type";
  let description = [{
    Converts every element of `input` to the result's element type, which
    must be a float; the shape does not change. From a float, the value is
    rounded to the nearest representable one, ties to even (a value beyond
    the result type's range becomes an infinity, NaN stays NaN); from a
    signless integer, the integer is read as signed (`i1` as 0 or 1) and
    rounded the same way. Casting to the operand's own type is the
    identity. Between floats, the gradient is `dy` cast back to the
    operand's type; integers carry none.

    ```mlir
    %p32 = dl.cast %p : tensor<256xf16> -> tensor<256xf32>
    ```
  }];
  let arguments = (ins DL_Tensor:$input);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Reduction over a set of axes, optionally keeping them as size-1 dims.
class DL_ReduceOp<string mnemonic, string what, Type tensorType = DL_Tensor>
    : DL_Op<mnemonic, [Pure, InferTypeOpAdaptor, DL_Differentiable]> {
  let summary = what # " over the given axes";
  let description = [{
    Reduces `input` to its }] # what # [{ over `axes`: a strictly increasing
    list of dimensions in [0, rank). The reduced dimensions are removed from
    the result, or kept with size 1 when `keepdims` is set. Reducing every
    axis without `keepdims` gives a 0-d tensor.

    ```mlir
    %s = dl.}] # mnemonic # [{ %x axes = [1] keepdims : tensor<64x10xf32>
    ```
  }];
  let arguments = (ins tensorType:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdims);
  let results = (outs tensorType:$result);
  let assemblyFormat =
      "$input `axes` `=` $axes (`keepdims` $keepdims^)? attr-dict `:` type($input)";
  let hasFolder = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      return ::dlc::dl::inferReductionType(
          getOperationName(), location, adaptor.getInput().getType(),
          adaptor.getAxes(), adaptor.getKeepdims(), inferredReturnTypes);
    }
    ::mlir::OpFoldResult $cppClass::fold(FoldAdaptor) {
      return ::dlc::dl::foldIdentityReduction(getOperation());
    }
  }];
}

def DL_SumOp : DL_ReduceOp<"sum", "sum">;
def DL_MeanOp : DL_ReduceOp<"mean", "arithmetic mean", DL_FloatTensor>;
def DL_MaxOp : DL_ReduceOp<"max", "maximum">;

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

def DL_ReshapeOp : DL_Op<"reshape", [Pure, DL_Differentiable]> {
  let summary = "Reinterpret a tensor's elements in a new shape";
  let description = [{
    Returns the elements of `input`, in row-major order, in the result's
    shape. Element type and element count must not change.

    ```mlir
    %flat = dl.reshape %img : tensor<64x28x28xf32> -> tensor<64x784xf32>
    ```
  }];
  let arguments = (ins DL_Tensor:$input);
  let results = (outs DL_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def DL_TransposeOp
    : DL_Op<"transpose", [Pure, InferTypeOpAdaptor, DL_Differentiable]> {
  let summary = "Permute a tensor's dimensions";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`; `perm` is a permutation
    of [0, rank).

    ```mlir
    %wt = dl.transpose %w perm = [1, 0] : tensor<784x256xf32>
    ```
  }];
  let arguments = (ins DL_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs DL_Tensor:$result);
  let assemblyFormat = "$input `perm` `=` $perm attr-dict `:` type($input)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def DL_BroadcastOp : DL_Op<"broadcast", [Pure, DL_Differentiable]> {
  let summary = "Broadcast a tensor to a larger shape";
  let description = [{
    Expands `input` to the result shape under NumPy rules: shapes are aligned
    at the right; each input dimension equals the result's or is 1; missing
    leading dimensions are added.

    ```mlir
    %b2 = dl.broadcast %b : tensor<256xf32> -> tensor<64x256xf32>
    ```
  }];
  let arguments = (ins DL_Tensor:$input);
  let results = (outs DL_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Softmax and losses
//===----------------------------------------------------------------------===//

/// Normalization along one axis; the result has the operand's type.
class DL_SoftmaxLikeOp<string mnemonic, string formula>
    : DL_Op<mnemonic, [Pure, SameOperandsAndResultType, DL_Differentiable]> {
  let summary = "Numerically stable " # mnemonic # " along one axis";
  let description = [{
    Computes `}] # formula # [{` along `axis` (in [0, rank)), subtracting the
    maximum first so that large inputs do not overflow.

    ```mlir
    %p = dl.}] # mnemonic # [{ %logits axis = 1 : tensor<64x10xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$input, I64Attr:$axis);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def DL_SoftmaxOp : DL_SoftmaxLikeOp<"softmax", "exp(x_i) / sum_j exp(x_j)">;
def DL_LogSoftmaxOp
    : DL_SoftmaxLikeOp<"log_softmax", "x_i - log(sum_j exp(x_j))">;

def DL_CrossEntropyOp
    : DL_Op<"cross_entropy", [Pure, InferTypeOpAdaptor, DL_Differentiable]> {
  let summary = "Mean softmax cross-entropy of logits against integer labels";
  let description = [{
    `logits` has shape [N..., C] (class scores, not probabilities) and `labels`
    shape [N...] with class indices in [0, C). The result is the 0-d mean over
    all N... positions of `-log_softmax(logits)[label]`, in the logits' element
    type. With `ignore_index` (outside [0, C): PyTorch's -100), a position
    whose label is outside [0, C) does not count: the mean is over the
    counted positions only (NaN when there is none, as PyTorch), and those
    positions get no gradient.

    ```mlir
    %loss = dl.cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi32>
    %mlm = dl.cross_entropy %logits, %y ignore_index = -100
        : tensor<16x64x96xf32>, tensor<16x64xi32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$logits, DL_IntTensor:$labels,
                       OptionalAttr<I64Attr>:$ignore_index);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat =
      "$logits `,` $labels (`ignore_index` `=` $ignore_index^)? attr-dict `:` "
      "type($logits) `,` type($labels)";
  let hasVerifier = 1;
  let builders = [
    /// Every position counts (no ignore_index).
    OpBuilder<(ins "::mlir::Value":$logits, "::mlir::Value":$labels), [{
      build($_builder, $_state, logits, labels, ::mlir::IntegerAttr());
    }]>
  ];
}

def DL_OneHotOp : DL_Op<"one_hot", [Pure, DL_Differentiable]> {
  let summary = "One-hot encoding of integer class indices";
  let description = [{
    For `labels` of shape [N...] with values in [0, C), produces a float
    tensor of shape [N..., C] that is 1 at each label's class and 0
    elsewhere; a label outside [0, C) gives an all-zero row. Labels carry no
    gradient.

    ```mlir
    %t = dl.one_hot %y : tensor<64xi32> -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins DL_IntTensor:$labels);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$labels attr-dict `:` type($labels) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

def DL_SliceOp : DL_Op<"slice", [Pure, DL_Differentiable]> {
  let summary = "A strided box of a tensor";
  let description = [{
    `sizes[d]` elements of each dimension d, from `offsets[d]` every
    `strides[d]` (static, in range: `dl::shapes::slice`); the rank is kept
    (the language's `x[:, t]` is a slice then a reshape). Its VJP places the
    cotangent back with `dl.slice_backward`.

    ```mlir
    %i = dl.slice %z offsets = [0, 0] sizes = [32, 256] strides = [1, 1]
        : tensor<32x1024xf32> -> tensor<32x256xf32>
    ```
  }];
  let arguments = (ins DL_Tensor:$input, DenseI64ArrayAttr:$offsets,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs DL_Tensor:$result);
  let assemblyFormat = "$input `offsets` `=` $offsets `sizes` `=` $sizes "
                       "`strides` `=` $strides attr-dict `:` type($input) "
                       "`->` type($result)";
  let hasVerifier = 1;
}

def DL_SliceBackwardOp : DL_Op<"slice_backward", [Pure]> {
  let summary = "The gradient of dl.slice: the cotangent placed in zeros";
  let description = [{
    The result (of the sliced tensor's type) is zero except at the elements
    the slice read (`offsets`, `strides`, the cotangent's shape as sizes),
    which hold the cotangent.

    ```mlir
    %dz = dl.slice_backward %di offsets = [0, 256] strides = [1, 1]
        : tensor<32x256xf32> -> tensor<32x1024xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$grad, DenseI64ArrayAttr:$offsets,
                       DenseI64ArrayAttr:$strides);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$grad `offsets` `=` $offsets `strides` `=` $strides "
                       "attr-dict `:` type($grad) `->` type($result)";
  let hasVerifier = 1;
}

def DL_ConcatOp : DL_Op<"concat",
    [Pure, InferTypeOpAdaptor, DL_Differentiable]> {
  let summary = "Tensors joined along an axis";
  let description = [{
    The inputs (one element type, one rank, equal sizes but along `axis`)
    one after the other along `axis` (`dl::shapes::concat`). Each input's
    cotangent is its slice of the result's.

    ```mlir
    %c = dl.concat %a, %b axis = 1 : tensor<4x3xf32>, tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Variadic<DL_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs DL_Tensor:$result);
  let assemblyFormat = "$inputs `axis` `=` $axis attr-dict `:` type($inputs)";
}

def DL_ArgmaxOp : DL_Op<"argmax",
    [Pure, InferTypeOpAdaptor, DL_Differentiable]> {
  let summary = "The index of the largest element along an axis";
  let description = [{
    The result (i32, the input's shape without `axis`) holds the index
    along `axis` of each slice's largest element, the first one where
    several are equal (torch.argmax); a NaN is never the largest. Indices
    carry no gradient (greedy decoding, accuracy).

    ```mlir
    %next = dl.argmax %logits axis = 1 : tensor<32x96xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$input, I64Attr:$axis);
  let results = (outs DL_IntTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
}

def DL_EmbeddingOp : DL_Op<"embedding",
    [Pure, InferTypeOpAdaptor, DL_Differentiable]> {
  let summary = "Rows of a table gathered by integer ids";
  let description = [{
    For a `table` [V, D] and integer `ids` [N...], the result [N..., D] holds
    row `ids[n...]` of the table at `[n..., :]` (PyTorch's `F.embedding`).
    An id outside [0, V) gives a row of zeros (and no gradient), never a
    read outside the table. The shape rule is `dl::shapes::embedding`. The
    gradient with respect to the table is `dl.embedding_backward`; ids have
    none.

    ```mlir
    %e = dl.embedding %table, %ids : tensor<96x64xf32>, tensor<32x64xi32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$table, DL_IntTensor:$ids);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat =
      "$table `,` $ids attr-dict `:` type($table) `,` type($ids)";
}

def DL_EmbeddingBackwardOp : DL_Op<"embedding_backward", [Pure]> {
  let summary = "The gradient of dl.embedding's table: a scatter-add";
  let description = [{
    For the cotangent `dy` [N..., D] of a `dl.embedding` and its `ids`
    [N...], the result [V, D] is zero except that each position's `dy[n...,
    :]` is added to row `ids[n...]` (a row that several positions read sums
    all of theirs; an id outside [0, V) adds nothing).

    ```mlir
    %dt = dl.embedding_backward %dy, %ids
        : tensor<32x64x64xf32>, tensor<32x64xi32> -> tensor<96x64xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$grad, DL_IntTensor:$ids);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$grad `,` $ids attr-dict `:` type($grad) `,` "
                       "type($ids) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// A 2-D convolution's window attributes: per spatial dimension (H, W), and
/// the number of groups (groups = channels is depthwise).
class DL_Conv2dWindowOp<string mnemonic, list<Trait> traits = []>
    : DL_Op<mnemonic, !listconcat(traits, [Pure])> {
  code windowFormat =
      "`stride` `=` $stride `padding` `=` $padding `dilation` `=` $dilation "
      "`groups` `=` $groups attr-dict";
  dag windowArgs = (ins DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                        DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  code windowDecl = [{
    /// The window attributes as the shape rule takes them (all of rank 2:
    /// the verifier checks).
    ::dlc::dl::shapes::Conv2dWindow getWindow();
  }];
}

def DL_Conv2dOp
    : DL_Conv2dWindowOp<"conv2d", [InferTypeOpAdaptor, DL_Differentiable]> {
  let summary = "2-D convolution (cross-correlation), NCHW activations, OIHW weights";
  let description = [{
    `y[n, o, oh, ow] = sum over c, kh, kw of x[n, g*C' + c, oh*sh + kh*dh - ph,
    ow*sw + kw*dw - pw] * w[o, c, kh, kw]` for the group `g = o / (O / groups)`,
    `C' = C / groups`, with zeros outside x (the padding): PyTorch's
    `conv2d` without bias, in its layouts (activations [N, C, H, W], weights
    [O, C / groups, KH, KW]). `stride`, `padding` and `dilation` hold the
    (H, W) values. The shape rule is `dl::shapes::conv2d`. Its VJP is
    `dl.conv2d_backward_input` and `dl.conv2d_backward_filter`.

    ```mlir
    %y = dl.conv2d %x, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1]
        groups = 1 : tensor<64x1x28x28xf32>, tensor<32x1x3x3xf32>
    ```
  }];
  let arguments = !con((ins DL_FloatTensor:$input, DL_FloatTensor:$filter),
                       windowArgs);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$input `,` $filter " # windowFormat #
                       " `:` type($input) `,` type($filter)";
  let extraClassDeclaration = windowDecl;
}

def DL_Conv2dBackwardInputOp : DL_Conv2dWindowOp<"conv2d_backward_input"> {
  let summary = "Gradient of dl.conv2d with respect to its input";
  let description = [{
    Given `dy`, the cotangent of `dl.conv2d %x, %w` with the same window
    attributes, and the filter `w`, computes the cotangent of `x` (a
    transposed convolution): `dx[n, c, h, w] = sum of dy[n, o, oh, ow] *
    w[o, c', kh, kw]` over every (o, oh, ow, kh, kw) whose window position
    `oh*sh + kh*dh - ph = h` (and likewise for w). The result type is the
    input's; the verifier checks that `dl.conv2d` of that type and `w` has
    `dy`'s type. Made by autodiff; not differentiable itself.

    ```mlir
    %dx = dl.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1]
        dilation = [1, 1] groups = 1
        : tensor<64x32x28x28xf32>, tensor<32x1x3x3xf32> -> tensor<64x1x28x28xf32>
    ```
  }];
  let arguments = !con((ins DL_FloatTensor:$dy, DL_FloatTensor:$filter),
                       windowArgs);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$dy `,` $filter " # windowFormat #
                       " `:` type($dy) `,` type($filter) `->` type($result)";
  let extraClassDeclaration = windowDecl;
  let hasVerifier = 1;
}

def DL_Conv2dBackwardFilterOp : DL_Conv2dWindowOp<"conv2d_backward_filter"> {
  let summary = "Gradient of dl.conv2d with respect to its filter";
  let description = [{
    Given the input `x` of `dl.conv2d %x, %w` and `dy`, the cotangent of its
    result, computes the cotangent of `w`: `dw[o, c, kh, kw] = sum over n,
    oh, ow of dy[n, o, oh, ow] * x[n, g*C' + c, oh*sh + kh*dh - ph, ow*sw +
    kw*dw - pw]` (zero in the padding). The result type is the filter's; the
    verifier checks that `dl.conv2d` of `x` and that type has `dy`'s type.
    Made by autodiff; not differentiable itself.

    ```mlir
    %dw = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1]
        dilation = [1, 1] groups = 1
        : tensor<64x1x28x28xf32>, tensor<64x32x28x28xf32> -> tensor<32x1x3x3xf32>
    ```
  }];
  let arguments = !con((ins DL_FloatTensor:$input, DL_FloatTensor:$dy),
                       windowArgs);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$input `,` $dy " # windowFormat #
                       " `:` type($input) `,` type($dy) `->` type($result)";
  let extraClassDeclaration = windowDecl;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// A 2-D pooling's window attributes, per spatial dimension (H, W).
class DL_Pool2dWindowOp<string mnemonic, list<Trait> traits = []>
    : DL_Op<mnemonic, !listconcat(traits, [Pure])> {
  code windowFormat =
      "`kernel` `=` $kernel `stride` `=` $stride `padding` `=` $padding "
      "attr-dict";
  dag windowArgs = (ins DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride,
                        DenseI64ArrayAttr:$padding);
  code windowDecl = [{
    /// The window attributes as the shape rule takes them (all of rank 2:
    /// the verifier checks).
    ::dlc::dl::shapes::Pool2dWindow getWindow();
  }];
}

def DL_MaxPool2dOp
    : DL_Pool2dWindowOp<"max_pool2d", [InferTypeOpAdaptor, DL_Differentiable]> {
  let summary = "2-D max pooling over NCHW activations";
  let description = [{
    `y[n, c, oh, ow]` is the largest `x[n, c, oh*sh + kh - ph, ow*sw + kw -
    pw]` over the window `0 <= kh < KH, 0 <= kw < KW`, the padding counting
    as -inf (PyTorch's `max_pool2d`, dilation 1, rounding down). A NaN in
    the window gives NaN. The shape rule is `dl::shapes::pool2d`. Its VJP is
    `dl.max_pool2d_backward`, which routes each dy to the window's first
    maximum in row-major order (PyTorch's tie rule).

    ```mlir
    %y = dl.max_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0]
        : tensor<64x32x28x28xf32>
    ```
  }];
  let arguments = !con((ins DL_FloatTensor:$input), windowArgs);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$input " # windowFormat # " `:` type($input)";
  let extraClassDeclaration = windowDecl;
}

def DL_MaxPool2dBackwardOp : DL_Pool2dWindowOp<"max_pool2d_backward",
    [AllTypesMatch<["input", "result"]>]> {
  let summary = "Gradient of dl.max_pool2d with respect to its input";
  let description = [{
    Given the input `x` of `dl.max_pool2d` with the same window attributes
    and `dy`, the cotangent of its result, computes the cotangent of `x`:
    each `dy[n, c, oh, ow]` goes to the position of its window's first
    maximum in row-major order (a NaN counts as the maximum), and windows
    that overlap add up. The verifier checks that `dl.max_pool2d` of `x`
    has `dy`'s type. Made by autodiff; not differentiable itself.

    ```mlir
    %dx = dl.max_pool2d_backward %x, %dy kernel = [2, 2] stride = [2, 2]
        padding = [0, 0] : tensor<64x32x28x28xf32>, tensor<64x32x14x14xf32>
    ```
  }];
  let arguments = !con((ins DL_FloatTensor:$input, DL_FloatTensor:$dy),
                       windowArgs);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$input `,` $dy " # windowFormat #
                       " `:` type($input) `,` type($dy)";
  let extraClassDeclaration = windowDecl;
  let hasVerifier = 1;
}

def DL_AvgPool2dOp
    : DL_Pool2dWindowOp<"avg_pool2d", [InferTypeOpAdaptor, DL_Differentiable]> {
  let summary = "2-D average pooling over NCHW activations";
  let description = [{
    `y[n, c, oh, ow]` is the sum of `x[n, c, oh*sh + kh - ph, ow*sw + kw -
    pw]` over the window, zeros in the padding, divided by `KH * KW`
    (PyTorch's `avg_pool2d` with `count_include_pad = True`, rounding
    down). The shape rule is `dl::shapes::pool2d`; the VJP is
    `dl.avg_pool2d_backward`.

    ```mlir
    %y = dl.avg_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0]
        : tensor<64x32x28x28xf32>
    ```
  }];
  let arguments = !con((ins DL_FloatTensor:$input), windowArgs);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$input " # windowFormat # " `:` type($input)";
  let extraClassDeclaration = windowDecl;
}

def DL_AvgPool2dBackwardOp : DL_Pool2dWindowOp<"avg_pool2d_backward"> {
  let summary = "Gradient of dl.avg_pool2d with respect to its input";
  let description = [{
    Given `dy`, the cotangent of `dl.avg_pool2d` with the same window
    attributes, computes the cotangent of its input (the result type):
    every position of a window receives `dy / (KH * KW)`, overlapping
    windows adding up. The verifier checks that `dl.avg_pool2d` of the
    result type has `dy`'s type. Made by autodiff; not differentiable
    itself.

    ```mlir
    %dx = dl.avg_pool2d_backward %dy kernel = [2, 2] stride = [2, 2]
        padding = [0, 0] : tensor<64x32x14x14xf32> -> tensor<64x32x28x28xf32>
    ```
  }];
  let arguments = !con((ins DL_FloatTensor:$dy), windowArgs);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$dy " # windowFormat #
                       " `:` type($dy) `->` type($result)";
  let extraClassDeclaration = windowDecl;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def DL_BatchNormOp : DL_Op<"batch_norm", [Pure, InferTypeOpAdaptor,
    DL_MultiResultDifferentiable, AllTypesMatch<["gamma", "beta"]>]> {
  let summary = "Batch normalization with the batch's statistics";
  let description = [{
    Per channel c (dimension 1 of x [N, C, ...]), over every other dimension
    (M elements): `mean[c]`, the biased `variance[c] = sum (x - mean)^2 / M`,
    and `y = (x - mean) / sqrt(variance + eps) * gamma[c] + beta[c]`:
    PyTorch's `batch_norm` in training. The statistics are results, so that
    a layer can update its running statistics from them (stdlib
    `BatchNorm2d`). The shape rule is `dl::shapes::batchNorm`. The VJP of y
    is `dl.batch_norm_backward`, the real batch-statistics gradient; those of
    mean and variance add their terms to dx.

    ```mlir
    %y, %mean, %var = dl.batch_norm %x, %gamma, %beta eps = 1.000000e-05
        : tensor<64x16x28x28xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$input, DL_FloatTensor:$gamma,
                       DL_FloatTensor:$beta, F64Attr:$eps);
  let results = (outs DL_FloatTensor:$result, DL_FloatTensor:$mean,
                      DL_FloatTensor:$variance);
  let assemblyFormat = "$input `,` $gamma `,` $beta `eps` `=` $eps attr-dict "
                       "`:` type($input) `,` type($gamma)";
  let hasVerifier = 1;
}

def DL_LayerNormOp : DL_Op<"layer_norm", [Pure, InferTypeOpAdaptor,
    DL_MultiResultDifferentiable, AllTypesMatch<["gamma", "beta"]>]> {
  let summary = "Layer normalization over the last axis";
  let description = [{
    Per row r of x [R..., D] (its last axis, D elements): `mean[r]`,
    `rstd[r] = 1 / sqrt(sum (x - mean)^2 / D + eps)` and `y = (x - mean) rstd
    gamma + beta`: PyTorch's `layer_norm` over the last dimension. The
    statistics are results, kept for the backward pass as llm.c does; their
    shape is x's without the last axis (`dl::shapes::layerNorm`). The VJP of
    y is `dl.layer_norm_backward`; those of mean and rstd add their terms to
    dx.

    ```mlir
    %y, %mean, %rstd = dl.layer_norm %x, %gamma, %beta eps = 1.000000e-05
        : tensor<16x64x128xf32>, tensor<128xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$input, DL_FloatTensor:$gamma,
                       DL_FloatTensor:$beta, F64Attr:$eps);
  let results = (outs DL_FloatTensor:$result, DL_FloatTensor:$mean,
                      DL_FloatTensor:$rstd);
  let assemblyFormat = "$input `,` $gamma `,` $beta `eps` `=` $eps attr-dict "
                       "`:` type($input) `,` type($gamma)";
  let hasVerifier = 1;
}

def DL_LayerNormBackwardOp : DL_Op<"layer_norm_backward", [Pure,
    InferTypeOpAdaptor, AllTypesMatch<["input", "dy"]>,
    AllTypesMatch<["mean", "rstd"]>]> {
  let summary = "Gradient of dl.layer_norm's normalized result";
  let description = [{
    Given x, `dy` (the cotangent of `dl.layer_norm %x, %gamma, %beta`'s y),
    gamma and the op's mean and rstd: with `xhat = (x - mean) rstd` and `g =
    dy gamma`, per row `dx = rstd (g - mean(g) - xhat mean(g xhat))` (means
    over the D elements of the row), and over all rows `dgamma = sum dy
    xhat`, `dbeta = sum dy`. Made by autodiff; not differentiable itself.

    ```mlir
    %dx, %dgamma, %dbeta = dl.layer_norm_backward %x, %dy, %gamma, %mean,
        %rstd : tensor<16x64x128xf32>, tensor<128xf32>, tensor<16x64xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$input, DL_FloatTensor:$dy,
                       DL_FloatTensor:$gamma, DL_FloatTensor:$mean,
                       DL_FloatTensor:$rstd);
  let results = (outs DL_FloatTensor:$dx, DL_FloatTensor:$dgamma,
                      DL_FloatTensor:$dbeta);
  let assemblyFormat = "$input `,` $dy `,` $gamma `,` $mean `,` $rstd attr-dict "
                       "`:` type($input) `,` type($gamma) `,` type($mean)";
}

def DL_AttentionOp : DL_Op<"attention", [Pure, InferTypeOpAdaptor,
    DL_MultiResultDifferentiable]> {
  let summary = "Scaled dot-product attention";
  let description = [{
    `softmax(q k^T scale + mask) v` over the last two dimensions of q [...,
    Tq, D], k [..., Tk, D] and v [..., Tk, Dv] (equal batch dimensions, such
    as [B, H]): PyTorch's `scaled_dot_product_attention`. The optional
    `mask` is added to the scaled scores, broadcast to [..., Tq, Tk] (-inf,
    or a large negative number, where a key is padding). With `causal`,
    query i attends to keys j <= i + Tk - Tq (the mask is -inf above that
    diagonal). The shape rule is `dl::shapes::attention`.

    The second result, `lse` [..., Tq], is each query's log-sum-exp of its
    scores, kept for the backward pass as FlashAttention does: the lowering
    is one tiled loop nest with an online softmax that never stores the
    [..., Tq, Tk] probabilities, and the VJP (`dl.attention_backward`)
    recomputes them per tile from lse. `dl-decompose-attention` expands the
    op into dl ops instead (the unfused form, for comparison).

    ```mlir
    %o, %lse = dl.attention %q, %k, %v scale = 1.250000e-01 causal
        : tensor<16x4x64x32xf32>, tensor<16x4x64x32xf32>, tensor<16x4x64x32xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$q, DL_FloatTensor:$k,
                       DL_FloatTensor:$v, Optional<DL_FloatTensor>:$mask,
                       F64Attr:$scale, UnitAttr:$causal);
  let results = (outs DL_FloatTensor:$result, DL_FloatTensor:$lse);
  let assemblyFormat = [{
    $q `,` $k `,` $v (`mask` $mask^ `:` type($mask))? `scale` `=` $scale
    (`causal` $causal^)? attr-dict `:` type($q) `,` type($k) `,` type($v)
  }];
  let hasVerifier = 1;
}

def DL_AttentionBackwardOp : DL_Op<"attention_backward", [Pure,
    InferTypeOpAdaptor, AllTypesMatch<["out", "dout"]>]> {
  let summary = "Gradient of dl.attention's output with respect to q, k, v";
  let description = [{
    Given the operands and attributes of a `dl.attention`, its results
    (`out`, `lse`) and `dout` (the cotangent of `out`): dq, dk and dv, as
    FlashAttention-2's backward pass. With `P = exp(q k^T scale + mask -
    lse)` (recomputed per tile), `D = rowsum(dout * out)` and `dS = P (dout
    v^T - D)`: `dv = P^T dout`, `dq = dS k scale`, `dk = dS^T q scale`. The mask's own gradient (dS summed to its shape) is not a
    result: the VJP builds it apart when it is needed. Made by autodiff; not
    differentiable itself.

    ```mlir
    %dq, %dk, %dv = dl.attention_backward %q, %k, %v, %o, %lse, %do
        scale = 1.250000e-01 causal : tensor<16x4x64x32xf32>,
        tensor<16x4x64x32xf32>, tensor<16x4x64x32xf32>,
        tensor<16x4x64x32xf32>, tensor<16x4x64xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$q, DL_FloatTensor:$k,
                       DL_FloatTensor:$v, DL_FloatTensor:$out,
                       DL_FloatTensor:$lse, DL_FloatTensor:$dout,
                       Optional<DL_FloatTensor>:$mask, F64Attr:$scale,
                       UnitAttr:$causal);
  let results = (outs DL_FloatTensor:$dq, DL_FloatTensor:$dk,
                      DL_FloatTensor:$dv);
  let assemblyFormat = [{
    $q `,` $k `,` $v `,` $out `,` $lse `,` $dout
    (`mask` $mask^ `:` type($mask))? `scale` `=` $scale (`causal` $causal^)?
    attr-dict `:` type($q) `,` type($k) `,` type($v) `,` type($out) `,`
    type($lse)
  }];
  let hasVerifier = 1;
}

def DL_BatchNormBackwardOp : DL_Op<"batch_norm_backward", [Pure,
    InferTypeOpAdaptor, AllTypesMatch<["input", "dy"]>,
    AllTypesMatch<["gamma", "mean", "variance"]>]> {
  let summary = "Gradient of dl.batch_norm's normalized result";
  let description = [{
    Given x, `dy` (the cotangent of `dl.batch_norm %x, %gamma, %beta`'s y),
    gamma and the op's mean and variance: with `istd = 1 / sqrt(variance +
    eps)` and `xhat = (x - mean) istd`, `dbeta = sum dy`, `dgamma = sum dy
    xhat` (over all but the channel dimension, M elements) and `dx = gamma
    istd (dy - dbeta / M - xhat dgamma / M)`: the gradient through the batch
    statistics. Made by autodiff; not differentiable itself.

    ```mlir
    %dx, %dgamma, %dbeta = dl.batch_norm_backward %x, %dy, %gamma, %mean,
        %var eps = 1.000000e-05 : tensor<64x16x28x28xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$input, DL_FloatTensor:$dy,
                       DL_FloatTensor:$gamma, DL_FloatTensor:$mean,
                       DL_FloatTensor:$variance, F64Attr:$eps);
  let results = (outs DL_FloatTensor:$dx, DL_FloatTensor:$dgamma,
                      DL_FloatTensor:$dbeta);
  let assemblyFormat = "$input `,` $dy `,` $gamma `,` $mean `,` $variance "
                       "`eps` `=` $eps attr-dict `:` type($input) `,` "
                       "type($gamma)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Random
//===----------------------------------------------------------------------===//

def DL_DropoutOp : DL_Op<"dropout", [Pure, DL_Differentiable,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Inverted dropout with a counter-based random mask";
  let description = [{
    `y[i] = keep(i) ? x[i] / (1 - p) : 0`, where element i (its row-major
    index) is kept when the 24 high bits of Philox4x32-10 (counter = [i,
    step, 0, 0], key = [seed, stream]; the first output word), as a
    fraction of 2^24, are `>= p`. `seed` and `step` are 0-d float tensors
    holding integers in [0, 2^24) (the stdlib `Dropout` layer's states: a
    random seed drawn at initialization and the count of training calls);
    `stream` tells the dropout ops of one model apart. The mask is a
    function of (seed, stream, step, i) alone: a run is reproducible and
    resumes exactly. The VJP is the same dropout of dy (the same mask and
    scale); seed and step get no gradient. Applies in training only: the
    front end wraps it in `dl.mode_select` with `x` for inference.

    ```mlir
    %y = dl.dropout %x, %seed, %step p = 5.000000e-01 stream = 0
        : tensor<64x256xf32>, tensor<f32>, tensor<f32>
    ```
  }];
  let arguments = (ins DL_FloatTensor:$input, 0DTensorOf<[AnyFloat]>:$seed,
                       0DTensorOf<[AnyFloat]>:$step, F64Attr:$p,
                       I64Attr:$stream);
  let results = (outs DL_FloatTensor:$result);
  let assemblyFormat = "$input `,` $seed `,` $step `p` `=` $p `stream` `=` "
                       "$stream attr-dict `:` type($input) `,` type($seed) "
                       "`,` type($step)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

def DL_ScanOp : DL_Op<"scan", [RecursiveMemoryEffects, AttrSizedOperandSegments,
    SingleBlock, DL_DifferentiableRegion]> {
  let summary = "A loop over time: per-step slices, carries, stacked outputs";
  let description = [{
    Runs its body `length` times, at t = 0, 1, ..., length - 1 (or in the
    opposite order with `reverse`). Step t sees one slice of each sequence
    (its index t along `axis`, that dimension removed) and the carried
    values, which start as `inits`; the body's `dl.yield` gives first the new
    carries (of the same types), then the step's outputs. The results are
    the final carries, then each output stacked along `axis` (the step's
    value at index t). Values defined above are read directly (weights). The
    shape rules are `dl::shapes::scanStep` and `dl::shapes::stack`. One loop
    in the IR and in the code, whatever the length; its VJP is a reverse
    scan over a tape of the values the body's VJP reads, stacked by the
    forward scan (docs/autodiff.md).

    ```mlir
    %hT, %hs = dl.scan (%x) carry (%h0) along 1 length 8
        : (tensor<4x8x3xf32>), (tensor<4x5xf32>)
        -> (tensor<4x5xf32>, tensor<4x8x5xf32>) {
    ^bb0(%xt: tensor<4x3xf32>, %h: tensor<4x5xf32>):
      %a = dl.matmul %xt, %wx : tensor<4x3xf32>, tensor<3x5xf32>
      %b = dl.matmul %h, %wh : tensor<4x5xf32>, tensor<5x5xf32>
      %s = dl.add %a, %b : tensor<4x5xf32>, tensor<4x5xf32>
      %h1 = dl.tanh %s : tensor<4x5xf32>
      dl.yield %h1, %h1 : tensor<4x5xf32>, tensor<4x5xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<DL_Tensor>:$sequences,
                       Variadic<DL_Tensor>:$inits, I64Attr:$axis,
                       I64Attr:$length, UnitAttr:$reverse);
  let results = (outs Variadic<DL_Tensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `(` $sequences `)` `carry` `(` $inits `)` `along` $axis `length` $length
    (`reverse` $reverse^)? attr-dict `:` custom<TypeTuple>(type($sequences))
    `,` custom<TypeTuple>(type($inits)) `->` custom<TypeTuple>(type($results))
    $body
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    /// A scan whose body block (with its arguments: the step's slices, then
    /// the carries) is empty; the caller fills it and ends it with dl.yield.
    OpBuilder<(ins "::mlir::TypeRange":$resultTypes,
                   "::mlir::ValueRange":$sequences, "::mlir::ValueRange":$inits,
                   "int64_t":$axis, "int64_t":$length, "bool":$reverse)>
  ];
  let extraClassDeclaration = [{
    /// The number of carries (the first results and yielded values).
    unsigned getNumCarries() { return getInits().size(); }
    /// The body's block and its arguments: slices, then carries.
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    ::mlir::Block::BlockArgListType getSliceArgs() {
      return getBodyBlock().getArguments().take_front(getSequences().size());
    }
    ::mlir::Block::BlockArgListType getCarryArgs() {
      return getBodyBlock().getArguments().drop_front(getSequences().size());
    }
    /// The final carries and the stacked outputs.
    ::mlir::ResultRange getFinalCarries() {
      return getResults().take_front(getNumCarries());
    }
    ::mlir::ResultRange getStacked() {
      return getResults().drop_front(getNumCarries());
    }
    YieldOp getYield();
  }];
}

def DL_YieldOp : DL_Op<"yield", [Pure, Terminator, HasParent<"ScanOp">]> {
  let summary = "The end of a dl.scan step: its new carries, then outputs";
  let description = [{
    Ends a `dl.scan` body with the step's new carries (the types of the
    scan's inits), then the step's outputs, which the scan stacks.

    ```mlir
    dl.yield %h1, %h1 : tensor<4x5xf32>, tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Variadic<DL_Tensor>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

//===----------------------------------------------------------------------===//
// Modes
//===----------------------------------------------------------------------===//

def DL_ModeSelectOp : DL_Op<"mode_select",
    [Pure, SameOperandsAndResultType]> {
  let summary = "The training or the inference value of a computation";
  let description = [{
    A model function computes what a model does both in training and in
    inference (the `.dl` `if training { ... } else { ... }` and state
    updates). In a training entry point (`grad`, `train_step`) the result is
    `training`; in an inference entry point (`forward`, `eval`) it is
    `inference`. The entry-point passes resolve every `dl.mode_select` of the
    functions they derive (`dl-autodiff` to `training`, `dl-inference-entry`
    to `inference`), so none reaches the lowering. Folds when both operands
    are the same value.

    ```mlir
    %y = dl.mode_select training %batch_stats, inference %running_stats
        : tensor<64x256xf32>
    ```
  }];
  let arguments = (ins DL_Tensor:$training, DL_Tensor:$inference);
  let results = (outs DL_Tensor:$result);
  let assemblyFormat =
      "`training` $training `,` `inference` $inference attr-dict `:` "
      "type($result)";
  let hasFolder = 1;
}

#endif // DL_OPS_TD
