namespace Sr.Torch.Native;

// Op codes of the native dispatchers (native/src/ops.cpp): keep in the same order as the C++ switch.
internal enum Unary
{
    Neg, Abs, Exp, Log, Sqrt, Rsqrt, Sin, Cos, Relu, Sigmoid, Tanh, Floor, Ceil, Round, Sign, Square, Reciprocal,
    Log1p, Trunc, IsNan, IsInf, IsFinite, LogicalNot, Gelu, Silu, Atan, Log2, Log10, Softplus,
}

internal enum Binary
{
    Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge, Atan2, Remainder, LogicalAnd, LogicalOr,
    FloorDivide, RSub, RDiv, RPow,
}

internal enum InplaceBinary { Add, Sub, Mul, Div, Copy, Maximum }

internal enum InplaceScalar { Add, Sub, Mul, Div, Fill, ClampMin, ClampMax, Pow }

internal enum InplaceUnary { Zero, Sqrt, Relu, Neg, Abs, Round, Sign }

internal enum Reduction { Sum, Mean, Amax, Amin, Prod, Std, Var, Norm2, LogSumExp, Any, All }

internal enum Factory { Empty, Zeros, Ones, Full, Rand, Randn }
