using Sr.Torch;

namespace Sr.Models.Evaluation;

/// <summary>
/// The pictures behind one row of an evaluation, for reports that show them (<see cref="HtmlReport"/>): the mod-cropped
/// ground truth, the degraded input upscaled with MATLAB bicubic, and the method's output, each 1×C×H×W in [0,1] with C the
/// ground truth's (1 gray, 3 RGB). A Y-channel method's output (and the bicubic view of its Y input) is shown in colour with
/// Cb/Cr degraded and upscaled with bicubic, as `sr upscale` writes it. The tensors belong to the evaluator and live only
/// during the <see cref="SrEvaluator.ImageObserver"/> call: copy what you keep.
/// </summary>
public sealed record EvaluatedImage(string Name, int Index, Tensor GroundTruth, Tensor Bicubic, Tensor Output, double Psnr, double Ssim);
