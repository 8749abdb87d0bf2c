// Image codecs through OpenCV imgcodecs: decode any supported file held in memory into an H×W×C tensor
// (RGB(A) channel order), encode an H×W×C tensor to PNG/JPEG bytes. File IO and atomic writes live in .NET.
#include "common.h"
#include <cstdlib>
#include <cstring>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <cstdio>
#include <mutex>
#include <unistd.h>

namespace {
// libjpeg and libpng report warnings ("Corrupt JPEG data: 12 extraneous bytes", "iCCP: known incorrect sRGB profile")
// and OpenCV its caught decoder exceptions by printing to the process's stderr, with no way for the caller to see
// them: a garbled JPEG decodes with exit 0 and the user sees codec chatter before our own one-line error. While one
// decode runs, fd 2 is pointed at a temporary file and what the codecs print is handed back to .NET, which makes a
// JPEG warning an error and folds the rest into its own message. The mutex serialises decodes (fd 2 is
// process-wide); another thread's stderr written meanwhile is captured too and is written back by .NET.
std::mutex g_stderr_mutex;

class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    tmp_ = std::tmpfile();
    if (!tmp_) return;
    saved_ = dup(2);
    if (saved_ < 0 || dup2(fileno(tmp_), 2) < 0) {
      if (saved_ >= 0) close(saved_);
      saved_ = -1;
      std::fclose(tmp_);
      tmp_ = nullptr;
    }
  }
  std::string finish() {
    if (saved_ < 0) return {};
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
    std::string text;
    std::rewind(tmp_);
    char chunk[4096];
    size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, tmp_)) > 0 && text.size() < 65536) text.append(chunk, n);
    std::fclose(tmp_);
    tmp_ = nullptr;
    return text;
  }
  ~StderrCapture() { finish(); }

 private:
  FILE* tmp_ = nullptr;
  int saved_ = -1;
};

char* copy_out(const std::string& text) {
  if (text.empty()) return nullptr;
  auto* p = static_cast<char*>(std::malloc(text.size() + 1));
  if (p) std::memcpy(p, text.c_str(), text.size() + 1);
  return p;
}
}  // namespace

// OpenCV checks decoded sizes against OPENCV_IO_MAX_IMAGE_PIXELS (default 2^30) after reading the header and
// before allocating the pixels. It reads the variable into a static when libopencv_imgcodecs loads, which is
// before this shim can set it, so this call only reaches child processes; the pixel limit that counts is the
// header check in Sr.Torch.io.ImageHeader (.NET), made before any file reaches imdecode.
SR_API int sr_image_set_global_pixel_limit(int64_t max_pixels) {
  SR_STATUS(setenv("OPENCV_IO_MAX_IMAGE_PIXELS", std::to_string(max_pixels).c_str(), 1))
}

SR_API TH sr_image_decode2(const uint8_t* data, int64_t len, int* bit_depth, char** diagnostics);

// Returns uint8 (8-bit) or int32 (16-bit, values 0..65535) tensor H×W×C with C ∈ {1,3,4}; *bit_depth = 8 or 16.
SR_API TH sr_image_decode(const uint8_t* data, int64_t len, int* bit_depth) {
  char* diagnostics = nullptr;
  TH t = sr_image_decode2(data, len, bit_depth, &diagnostics);
  std::free(diagnostics);
  return t;
}

// As sr_image_decode, and *diagnostics receives what the codec libraries printed meanwhile (malloc'd, free with
// sr_buffer_free; null when nothing), instead of it reaching the terminal.
SR_API TH sr_image_decode2(const uint8_t* data, int64_t len, int* bit_depth, char** diagnostics) {
  *diagnostics = nullptr;
  SR_TENSOR(([&] {
    if (len <= 0) throw std::runtime_error("empty file");
    if (len > INT32_MAX) throw std::runtime_error("file over 2 GiB");
    static std::once_flag quiet;
    std::call_once(quiet, [] { cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT); });
    cv::Mat buf(1, static_cast<int>(len), CV_8UC1, const_cast<uint8_t*>(data));
    cv::Mat img;
    {
      std::lock_guard<std::mutex> lock(g_stderr_mutex);
      StderrCapture capture;
      try {
        img = cv::imdecode(buf, cv::IMREAD_UNCHANGED | cv::IMREAD_ANYDEPTH);
      } catch (...) {
        *diagnostics = copy_out(capture.finish());
        throw;
      }
      *diagnostics = copy_out(capture.finish());
    }
    if (img.empty()) throw std::runtime_error("not a readable image (unknown format, corrupt or truncated data)");
    const int ch = img.channels();
    if (ch != 1 && ch != 3 && ch != 4) throw std::runtime_error("unsupported channel count " + std::to_string(ch));
    if (ch == 3) cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
    if (ch == 4) cv::cvtColor(img, img, cv::COLOR_BGRA2RGBA);
    at::Tensor t;
    switch (img.depth()) {
      case CV_8U:
        *bit_depth = 8;
        t = at::from_blob(img.data, {img.rows, img.cols, ch}, {static_cast<int64_t>(img.step[0]), ch, 1}, at::kByte).clone();
        break;
      case CV_16U: {
        *bit_depth = 16;
        cv::Mat wide;
        img.convertTo(wide, CV_32S);
        t = at::from_blob(wide.data, {wide.rows, wide.cols, ch}, {static_cast<int64_t>(wide.step[0] / 4), ch, 1}, at::kInt).clone();
        break;
      }
      default:
        throw std::runtime_error("unsupported sample depth (only 8- and 16-bit images are read)");
    }
    return t;
  })())
}

// format: 0 PNG (param = compression 0..9), 1 JPEG (param = quality 0..100). Input H×W×C (or H×W), RGB(A) or
// gray: uint8 (8-bit PNG/JPEG) or int32 holding 0..65535 (16-bit PNG, the type sr_image_decode returns for 16-bit).
SR_API int sr_image_encode(TH hwc, int format, int param, uint8_t** out, int64_t* out_len) {
  SR_STATUS(({
    auto t = hwc->detach().to(c10::kCPU).contiguous();
    const bool wide = t.scalar_type() == at::kInt;
    if (t.scalar_type() != at::kByte && !wide)
      throw std::invalid_argument(std::string("image encoding needs a uint8 tensor (or int32 0..65535 for a 16-bit PNG), got ") + c10::toString(t.scalar_type()));
    if (wide && format != 0) throw std::invalid_argument("16-bit images can only be written as PNG");
    if (wide && t.numel() > 0 && (t.min().item<int>() < 0 || t.max().item<int>() > 65535))
      throw std::invalid_argument("a 16-bit image needs values in 0..65535");
    if (wide) t = t.to(at::kShort);  // same bits as uint16 for 0..65535
    if (t.dim() == 2) t = t.unsqueeze(2);
    if (t.dim() != 3) throw std::invalid_argument("image encoding needs an H×W×C tensor, got " + std::to_string(t.dim()) + " dimensions");
    if (t.size(0) < 1 || t.size(1) < 1) throw std::invalid_argument("image encoding needs at least one pixel");
    const int ch = static_cast<int>(t.size(2));
    if (ch != 1 && ch != 3 && ch != 4) throw std::invalid_argument("image encoding needs 1, 3 or 4 channels, got " + std::to_string(ch));
    cv::Mat img(static_cast<int>(t.size(0)), static_cast<int>(t.size(1)), wide ? CV_16UC(ch) : CV_8UC(ch), t.data_ptr());
    cv::Mat bgr;
    if (ch == 3) cv::cvtColor(img, bgr, cv::COLOR_RGB2BGR);
    else if (ch == 4) cv::cvtColor(img, bgr, cv::COLOR_RGBA2BGRA);
    else bgr = img;
    std::vector<uchar> buf;
    std::vector<int> params = format == 0 ? std::vector<int>{cv::IMWRITE_PNG_COMPRESSION, param}
                                          : std::vector<int>{cv::IMWRITE_JPEG_QUALITY, param};
    if (!cv::imencode(format == 0 ? ".png" : ".jpg", bgr, buf, params)) throw std::runtime_error("encoding failed");
    *out = static_cast<uint8_t*>(std::malloc(buf.size()));
    std::memcpy(*out, buf.data(), buf.size());
    *out_len = static_cast<int64_t>(buf.size());
  }))
}
SR_API void sr_buffer_free(void* p) { std::free(p); }
