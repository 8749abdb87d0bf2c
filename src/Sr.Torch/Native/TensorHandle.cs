using System.Runtime.InteropServices;

namespace Sr.Torch.Native;

/// <summary>Owns one native <c>at::Tensor*</c>; releasing it frees the handle (the storage goes when its last user does).</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>Passed where the native side accepts an absent optional tensor (nullptr).</summary>
    internal static readonly TensorHandle Null = new();

    internal TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.sr_free(handle);
        return true;
    }
}
