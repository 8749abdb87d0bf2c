// Neural-network functionals: convolution, resampling, pooling, activations, normalisation, losses.
#include "common.h"


SR_API TH sr_conv2d(TH x, TH w, TH b, const int64_t* stride, const int64_t* padding, const int64_t* dilation, int64_t groups) {
  SR_TENSOR(at::conv2d(*x, *w, opt(b), ints(stride, 2), ints(padding, 2), ints(dilation, 2), groups))
}
SR_API TH sr_conv_transpose2d(TH x, TH w, TH b, const int64_t* stride, const int64_t* padding, const int64_t* output_padding,
                              int64_t groups, const int64_t* dilation) {
  SR_TENSOR(at::conv_transpose2d(*x, *w, opt(b), ints(stride, 2), ints(padding, 2), ints(output_padding, 2), groups, ints(dilation, 2)))
}
SR_API TH sr_pixel_shuffle(TH x, int64_t r) { SR_TENSOR(at::pixel_shuffle(*x, r)) }
SR_API TH sr_pixel_unshuffle(TH x, int64_t r) { SR_TENSOR(at::pixel_unshuffle(*x, r)) }

// mode: 0 nearest 1 bilinear 2 bicubic 3 area 4 nearest-exact. Either size (n=2) or scale factors.
SR_API TH sr_interpolate(TH x, const int64_t* size, const double* scale, int mode, int align_corners, int antialias) {
  SR_TENSOR(([&]() -> at::Tensor {
    c10::optional<at::IntArrayRef> out_size = size ? c10::optional<at::IntArrayRef>(ints(size, 2)) : c10::nullopt;
    c10::optional<double> sh = scale ? c10::optional<double>(scale[0]) : c10::nullopt;
    c10::optional<double> sw = scale ? c10::optional<double>(scale[1]) : c10::nullopt;
    std::vector<int64_t> osz;
    if (size) osz.assign(size, size + 2);
    else osz = {static_cast<int64_t>(std::floor(x->size(2) * scale[0])), static_cast<int64_t>(std::floor(x->size(3) * scale[1]))};
    switch (mode) {
      case 0: return at::upsample_nearest2d(*x, osz, sh, sw);
      case 1: return antialias ? at::_upsample_bilinear2d_aa(*x, osz, align_corners != 0, sh, sw)
                               : at::upsample_bilinear2d(*x, osz, align_corners != 0, sh, sw);
      case 2: return antialias ? at::_upsample_bicubic2d_aa(*x, osz, align_corners != 0, sh, sw)
                               : at::upsample_bicubic2d(*x, osz, align_corners != 0, sh, sw);
      case 3: return at::adaptive_avg_pool2d(*x, osz);
      case 4: return at::_upsample_nearest_exact2d(*x, osz, sh, sw);
      default: throw std::invalid_argument("unknown interpolation mode");
    }
  })())
}

SR_API TH sr_avg_pool2d(TH x, const int64_t* k, const int64_t* s, const int64_t* p, int ceil_mode, int count_include_pad) {
  SR_TENSOR(at::avg_pool2d(*x, ints(k, 2), ints(s, 2), ints(p, 2), ceil_mode != 0, count_include_pad != 0))
}
SR_API TH sr_max_pool2d(TH x, const int64_t* k, const int64_t* s, const int64_t* p, const int64_t* d, int ceil_mode) {
  SR_TENSOR(at::max_pool2d(*x, ints(k, 2), ints(s, 2), ints(p, 2), ints(d, 2), ceil_mode != 0))
}
SR_API TH sr_adaptive_avg_pool2d(TH x, const int64_t* size) { SR_TENSOR(at::adaptive_avg_pool2d(*x, ints(size, 2))) }
SR_API TH sr_unfold(TH x, const int64_t* k, const int64_t* d, const int64_t* p, const int64_t* s) {
  SR_TENSOR(at::im2col(*x, ints(k, 2), ints(d, 2), ints(p, 2), ints(s, 2)))
}

SR_API TH sr_leaky_relu(TH x, double slope) { SR_TENSOR(at::leaky_relu(*x, slope)) }
SR_API TH sr_prelu(TH x, TH w) { SR_TENSOR(at::prelu(*x, *w)) }
SR_API TH sr_elu(TH x, double alpha) { SR_TENSOR(at::elu(*x, alpha)) }
SR_API TH sr_hardtanh(TH x, double lo, double hi) { SR_TENSOR(at::hardtanh(*x, lo, hi)) }
SR_API TH sr_dropout(TH x, double p, int train) { SR_TENSOR(at::dropout(*x, p, train != 0)) }
SR_API TH sr_batch_norm(TH x, TH running_mean, TH running_var, TH w, TH b, int training, double momentum, double eps) {
  SR_TENSOR(at::batch_norm(*x, opt(w), opt(b), opt(running_mean), opt(running_var), training != 0, momentum, eps, false))
}
SR_API TH sr_layer_norm(TH x, const int64_t* shape, int n, TH w, TH b, double eps) {
  SR_TENSOR(at::layer_norm(*x, ints(shape, n), opt(w), opt(b), eps))
}

// reduction: 0 none 1 mean 2 sum
SR_API TH sr_loss(int kind, TH input, TH target, TH weight, int reduction, double param) {
  SR_TENSOR(([&]() -> at::Tensor {
    switch (kind) {
      case 0: return at::l1_loss(*input, *target, reduction);
      case 1: return at::mse_loss(*input, *target, reduction);
      case 2: return at::smooth_l1_loss(*input, *target, reduction, param);
      case 3: return at::binary_cross_entropy_with_logits(*input, *target, opt(weight), c10::nullopt, reduction);
      case 4: return at::cross_entropy_loss(*input, *target, opt(weight), reduction, -100, param);
      case 5: return at::nll_loss(*input, *target, opt(weight), reduction, -100);
      default: throw std::invalid_argument("unknown loss");
    }
  })())
}
SR_API TH sr_cosine_similarity(TH a, TH b, int64_t dim, double eps) { SR_TENSOR(at::cosine_similarity(*a, *b, dim, eps)) }
