#include "store/store.h"


namespace overcast::store {
namespace {

const std::string kEmpty;

}  // namespace

int64_t Row::integer(size_t i) const {
  const SqlValue& v = columns_.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  return 0;
}

double Row::real(size_t i) const {
  const SqlValue& v = columns_.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  return 0.0;
}

const std::string& Row::text(size_t i) const {
  const SqlValue& v = columns_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<Blob>(&v)) return b->bytes;
  return kEmpty;
}

Result<std::optional<Row>> ReadTxn::queryOne(std::string_view sql, const std::vector<SqlValue>& params) {
  auto rows = query(sql, params);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Row>{};
  return std::optional<Row>{std::move(rows->front())};
}

}  // namespace overcast::store
