// A vector of trivially copyable values that keeps its first N elements
// inline and moves to the heap only beyond that: short lists whose usual
// size is known (the extensions of one message) then cost no allocation,
// while a peer that sends more still gets a correct, growing list (its
// size is limited by the caller, as for any vector).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <type_traits>
#include <vector>

namespace tls13 {

template <class T, std::size_t N>
class SmallVector {
  static_assert(std::is_trivially_copyable_v<T>, "elements are copied as values");

 public:
  SmallVector() = default;
  SmallVector(std::initializer_list<T> values) {
    for (const T& v : values) push_back(v);
  }

  std::size_t size() const noexcept { return on_heap_ ? heap_.size() : size_; }
  bool empty() const noexcept { return size() == 0; }
  T* data() noexcept { return on_heap_ ? heap_.data() : inline_.data(); }
  const T* data() const noexcept { return on_heap_ ? heap_.data() : inline_.data(); }
  T* begin() noexcept { return data(); }
  T* end() noexcept { return data() + size(); }
  const T* begin() const noexcept { return data(); }
  const T* end() const noexcept { return data() + size(); }
  T& operator[](std::size_t i) noexcept { return data()[i]; }
  const T& operator[](std::size_t i) const noexcept { return data()[i]; }

  // Room for n elements: moves to the heap only when n exceeds N.
  void reserve(std::size_t n) {
    if (n <= N && !on_heap_) return;
    spill(n);
  }
  void push_back(const T& v) {
    if (!on_heap_ && size_ < N) {
      inline_[size_++] = v;
      return;
    }
    if (!on_heap_) spill(2 * N);
    heap_.push_back(v);
  }
  T* erase(T* pos) noexcept {
    std::copy(pos + 1, end(), pos);
    if (on_heap_) {
      heap_.pop_back();
    } else {
      --size_;
    }
    return pos;
  }
  void clear() noexcept {
    size_ = 0;
    heap_.clear();  // keeps any heap capacity for reuse
  }

 private:
  void spill(std::size_t capacity) {
    if (!on_heap_) {
      heap_.reserve(std::max(capacity, size_));
      heap_.assign(inline_.begin(), inline_.begin() + static_cast<std::ptrdiff_t>(size_));
      size_ = 0;
      on_heap_ = true;
    } else {
      heap_.reserve(capacity);
    }
  }

  std::array<T, N> inline_{};
  std::size_t size_ = 0;  // used while inline
  bool on_heap_ = false;
  std::vector<T> heap_;
};

}  // namespace tls13
