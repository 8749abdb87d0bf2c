using static Sr.Torch.Native.NativeMethods;

namespace Sr.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A leaf tensor that a module trains. Long-lived: never owned by a dispose scope.</summary>
        public sealed class Parameter : Tensor
        {
            /// <summary>Wraps the data of <paramref name="data"/> (shared storage, detached from its graph); the caller still owns <paramref name="data"/>.</summary>
            public Parameter(Tensor data, bool requires_grad = true) : base(sr_detach(data.Handle))
            {
                this.DetachFromDisposeScope();
                this.requires_grad = requires_grad;
            }
        }
    }
}
