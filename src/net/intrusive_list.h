// A doubly linked list threaded through its elements: O(1) append and
// removal without allocating, so per-connection bookkeeping (timers, the
// ready queue) costs two pointers per list.
#pragma once

#include <cstddef>

namespace tls13::net {

template <class T>
struct Link {
  T* prev = nullptr;
  T* next = nullptr;
};

template <class T, Link<T> T::*L>
class IntrusiveList {
 public:
  bool empty() const noexcept { return head_ == nullptr; }
  T* front() const noexcept { return head_; }
  std::size_t size() const noexcept { return size_; }

  void push_back(T& t) noexcept {
    auto& l = t.*L;
    l.prev = tail_;
    l.next = nullptr;
    if (tail_)
      (tail_->*L).next = &t;
    else
      head_ = &t;
    tail_ = &t;
    ++size_;
  }

  // `t` must be in this list.
  void erase(T& t) noexcept {
    auto& l = t.*L;
    if (l.prev)
      (l.prev->*L).next = l.next;
    else
      head_ = l.next;
    if (l.next)
      (l.next->*L).prev = l.prev;
    else
      tail_ = l.prev;
    l.prev = l.next = nullptr;
    --size_;
  }

  T* pop_front() noexcept {
    T* t = head_;
    if (t) erase(*t);
    return t;
  }

 private:
  T* head_ = nullptr;
  T* tail_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace tls13::net
