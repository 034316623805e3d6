// png_colours FILE.png [MIN]: decodes the image with libpng and counts its distinct
// colours and the share of the commonest one; exit 0 when there are at least MIN
// colours (default 16) and no colour covers more than 97% of the pixels: the
// screenshot shows a page, not a blank or single-colour surface.
#include <png.h>

#include <cstdio>
#include <cstdlib>
#include <unordered_map>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: png_colours FILE.png [MIN]\n");
    return 2;
  }
  const std::size_t min_colours = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 16;
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, argv[1])) {
    std::fprintf(stderr, "%s: %s\n", argv[1], image.message);
    return 1;
  }
  image.format = PNG_FORMAT_RGB;
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
    std::fprintf(stderr, "%s: %s\n", argv[1], image.message);
    return 1;
  }
  std::unordered_map<unsigned, std::size_t> counts;
  std::size_t top = 0;
  for (std::size_t i = 0; i + 2 < pixels.size(); i += 3) {
    const unsigned rgb = unsigned(pixels[i]) << 16 | unsigned(pixels[i + 1]) << 8 | pixels[i + 2];
    top = std::max(top, ++counts[rgb]);
  }
  const std::size_t n = pixels.size() / 3;
  const double share = n ? double(top) / double(n) : 1;
  std::printf("%s: %ux%u, %zu colours, commonest %.1f%%\n", argv[1], image.width, image.height, counts.size(), 100 * share);
  return counts.size() >= min_colours && share <= 0.97 ? 0 : 1;
}
