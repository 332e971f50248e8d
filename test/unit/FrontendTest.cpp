//===- FrontendTest.cpp - unit tests of the .dl front end -----------------===//
//
// Part of dlc. Lexer tokens, parser limits and Sema's shape rules, checked
// in process on small sources.
//
//===----------------------------------------------------------------------===//

#include "Frontend/Frontend.h"
#include "Frontend/Lexer.h"
#include "Frontend/MLIRGen.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace dlc::frontend;

namespace {

/// Lexes `text` and returns the token kinds (without the final eof).
std::vector<TokenKind> lex(const std::string &text,
                           unsigned *errors = nullptr) {
  llvm::SourceMgr sm;
  std::string out;
  llvm::raw_string_ostream os(out);
  DiagEngine diags(sm, os);
  sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "t.dl"),
                        llvm::SMLoc());
  Lexer lexer(sm.getMemoryBuffer(1)->getBuffer(), diags);
  std::vector<TokenKind> kinds;
  for (Token t = lexer.next(); t.isNot(TokenKind::eof); t = lexer.next())
    kinds.push_back(t.kind);
  if (errors)
    *errors = diags.getNumErrors();
  return kinds;
}

/// Runs the front end on `text`; returns the diagnostics and sets `ok`.
struct Result {
  bool ok = false;
  std::string diags;
  std::vector<std::unique_ptr<CheckedModel>> models;
};

Result checkSource(const std::string &text) {
  Result r;
  llvm::SourceMgr sm;
  llvm::raw_string_ostream os(r.diags);
  DiagEngine diags(sm, os);
  Frontend fe(diags, {});
  r.ok = fe.parseBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "t.dl")) &&
         fe.check();
  return r;
}

/// Returns the type of output `name` of the only model of `text`.
std::string outputType(const std::string &body, const std::string &decls = "") {
  std::string text = decls +
                     "model m {\n input x: f32[8, 4]\n input s: "
                     "f32[8, 3, 4]\n input k: i32[8]\n forward {\n" +
                     body + "\n loss mean(x)\n }\n}\n";
  llvm::SourceMgr sm;
  std::string out;
  llvm::raw_string_ostream os(out);
  DiagEngine diags(sm, os);
  Frontend fe(diags, {});
  if (!fe.parseBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "t.dl")) ||
      !fe.check())
    return "error: " + out;
  mlir::MLIRContext ctx;
  loadFrontendDialects(ctx);
  auto module = fe.generate(ctx);
  if (!module)
    return "error: " + out;
  auto func = module->lookupSymbol<mlir::func::FuncOp>("forward");
  std::string s;
  llvm::raw_string_ostream ts(s);
  ts << func.getFunctionType().getResult(1);
  return s;
}

TEST(FrontendLexer, KeywordsNumbersAndPunctuation) {
  auto k = lex("model m { x = a @ b -> 1e-3 12 }");
  std::vector<TokenKind> want = {
      TokenKind::kw_model,   TokenKind::identifier, TokenKind::l_brace,
      TokenKind::identifier, TokenKind::equal,      TokenKind::identifier,
      TokenKind::at,         TokenKind::identifier, TokenKind::arrow,
      TokenKind::floating,   TokenKind::integer,    TokenKind::r_brace};
  EXPECT_EQ(k, want);
}

TEST(FrontendLexer, NewlinesAreSeparatorsOutsideBrackets) {
  auto k = lex("a\n\n\nb(\n c\n)\n{\nd }");
  std::vector<TokenKind> want = {
      TokenKind::identifier, TokenKind::newline,    TokenKind::identifier,
      TokenKind::l_paren,    TokenKind::identifier, TokenKind::r_paren,
      TokenKind::newline,    TokenKind::l_brace,    TokenKind::newline,
      TokenKind::identifier, TokenKind::r_brace};
  EXPECT_EQ(k, want);
}

TEST(FrontendLexer, CommentsAndMemberAccessOnNumbers) {
  auto k = lex("1.T // comment\n/* block\n comment */ 2.5");
  std::vector<TokenKind> want = {TokenKind::integer, TokenKind::dot,
                                 TokenKind::identifier, TokenKind::newline,
                                 TokenKind::floating};
  EXPECT_EQ(k, want);
}

TEST(FrontendLexer, BadInputIsDiagnosed) {
  unsigned errors = 0;
  lex(std::string("a \0\x01\xff b", 7), &errors);
  EXPECT_EQ(errors, 1u); // One diagnostic for the run of bad bytes.
  lex("\"open", &errors);
  EXPECT_EQ(errors, 1u);
  lex("/* open", &errors);
  EXPECT_EQ(errors, 1u);
  lex("1e+", &errors);
  EXPECT_EQ(errors, 1u);
  lex("12abc", &errors);
  EXPECT_EQ(errors, 1u);
}

TEST(FrontendParser, NestingLimitIsADiagnostic) {
  Result r = checkSource("const A = " + std::string(5000, '(') + "1" +
                         std::string(5000, ')'));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.diags.find("nesting is too deep"), std::string::npos);
  Result ok = checkSource("const A = " + std::string(100, '(') + "1" +
                          std::string(100, ')'));
  EXPECT_TRUE(ok.ok) << ok.diags;
}

TEST(FrontendSema, ConstantArithmetic) {
  EXPECT_TRUE(checkSource("const A = 2 * (3 + 4) - 10 / 3").ok);
  Result overflow = checkSource("const A = 9223372036854775807 + 1");
  EXPECT_FALSE(overflow.ok);
  EXPECT_NE(overflow.diags.find("integer overflow"), std::string::npos);
  Result div = checkSource("const A = 1 / 0");
  EXPECT_NE(div.diags.find("division by zero"), std::string::npos);
}

TEST(FrontendSema, BroadcastingAndMatmulShapes) {
  EXPECT_EQ(outputType("output o = x + sum(x, axis = 0)"), "tensor<8x4xf32>");
  EXPECT_EQ(outputType("output o = 2 * x - 1"), "tensor<8x4xf32>");
  EXPECT_EQ(outputType("output o = x @ x.T"), "tensor<8x8xf32>");
  EXPECT_EQ(outputType("output o = s @ reshape(x, [4, 8])"),
            "tensor<8x3x8xf32>");
  EXPECT_EQ(outputType("output o = mean(s, axis = [0, 2], keepdims = true)"),
            "tensor<1x3x1xf32>");
  EXPECT_EQ(outputType("output o = reshape(s, [-1, 4])"), "tensor<24x4xf32>");
  EXPECT_EQ(outputType("output o = transpose(s, [2, 0, 1])"),
            "tensor<4x8x3xf32>");
  EXPECT_EQ(outputType("output o = broadcast(x, [2, 8, 4])"),
            "tensor<2x8x4xf32>");
}

TEST(FrontendSema, ShapeErrors) {
  EXPECT_NE(outputType("output o = x @ x").find("contracting dimensions"),
            std::string::npos);
  EXPECT_NE(
      outputType("output o = x + s[:, 0:2, :]").find("not broadcast-compatible"),
      std::string::npos);
  EXPECT_NE(outputType("output o = x + k").find("element types differ"),
            std::string::npos);
  EXPECT_NE(outputType("output o = reshape(x, [5, 7])").find("element count"),
            std::string::npos);
  EXPECT_NE(outputType("output o = softmax(x, axis = 2)").find("out of range"),
            std::string::npos);
}

TEST(FrontendSema, DimensionVariablesBindAtEachCall) {
  std::string layer = "layer Sq(d: int) {\n param W: f32[d, d] = "
                      "glorot()\n fn(a: f32[N, d]) -> f32[N, d] { return a "
                      "@ W }\n}\n";
  // The same layer type applied to different batch sizes.
  std::string text = layer + "model m {\n input x: f32[8, 4]\n input z: "
                             "f32[3, 4]\n l = Sq(4)\n forward {\n output o "
                             "= l(x)\n output p = l(z)\n loss mean(o)\n "
                             "}\n}\n";
  Result r = checkSource(text);
  EXPECT_TRUE(r.ok) << r.diags;
  std::string bad = layer + "model m {\n input x: f32[8, 5]\n l = Sq(4)\n "
                            "forward {\n loss mean(l(x))\n }\n}\n";
  Result b = checkSource(bad);
  EXPECT_FALSE(b.ok);
  EXPECT_NE(b.diags.find("dimension 1 ('d') must be 4, got 5"),
            std::string::npos)
      << b.diags;
}

TEST(FrontendSema, ElementCountCap) {
  Result r = checkSource("model m {\n input x: f32[1048576, 1048576, 2]\n "
                         "forward { loss mean(x) }\n}\n");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.diags.find("too many elements"), std::string::npos);
}

} // namespace
