// One writer per results file (io/file_lock.hpp): a second lock on PATH.lock is refused while the
// first is held, naming the holder; a holder that dies (kill -9) leaves no lock behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igbench/io/file_lock.hpp"
#include "support/process.hpp"

namespace igbench::io {
namespace {

LockHolder holder(long pid) { return {"node17", pid, "2026-01-02T03:04:05Z", "igbench main --out r.h5"}; }

TEST(FileLock, SecondWriterIsRefusedAndToldWhoHoldsIt) {
  test::TempDir dir;
  const auto h5 = dir.path / "r.h5";
  FileLock first = FileLock::try_acquire(h5, holder(111));
  ASSERT_TRUE(first.acquired());
  EXPECT_TRUE(std::filesystem::exists(dir.path / "r.h5.lock"));
  // OFD locks belong to the open file description: a second open in this process conflicts as a
  // second process would.
  FileLock second = FileLock::try_acquire(h5, holder(222));
  EXPECT_EQ(second.outcome(), FileLock::Outcome::held);
  EXPECT_EQ(second.holder().pid, 111);
  EXPECT_EQ(second.holder().host, "node17");
  EXPECT_EQ(second.holder().describe(), "host node17, pid 111, started 2026-01-02T03:04:05Z");
  first.release();
  EXPECT_FALSE(std::filesystem::exists(dir.path / "r.h5.lock")) << "a clean release removes the lock file";
  FileLock third = FileLock::try_acquire(h5, holder(333));
  EXPECT_TRUE(third.acquired());
}

TEST(FileLock, DifferentFilesDoNotConflict) {
  test::TempDir dir;
  FileLock a = FileLock::try_acquire(dir.path / "a.h5", holder(1));
  FileLock b = FileLock::try_acquire(dir.path / "b.h5", holder(2));
  EXPECT_TRUE(a.acquired());
  EXPECT_TRUE(b.acquired());
}

TEST(FileLock, AHolderKilledWithSigkillDoesNotBlockTheNextWriter) {
  test::TempDir dir;
  const auto h5 = dir.path / "r.h5";
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    FileLock mine = FileLock::try_acquire(h5, this_process_holder("child"));
    const char c = mine.acquired() ? '1' : '0';
    (void)!write(ready[1], &c, 1);
    for (;;) pause();  // holds the lock until killed
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, '1');
  FileLock blocked = FileLock::try_acquire(h5, holder(2));
  EXPECT_EQ(blocked.outcome(), FileLock::Outcome::held);
  EXPECT_EQ(blocked.holder().pid, child);
  EXPECT_TRUE(process_alive(child));
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(ready[0]);
  close(ready[1]);
  EXPECT_TRUE(std::filesystem::exists(dir.path / "r.h5.lock")) << "the dead holder's file stays";
  EXPECT_FALSE(process_alive(child));
  FileLock after = FileLock::try_acquire(h5, holder(3));
  EXPECT_TRUE(after.acquired()) << "the kernel dropped the dead holder's lock";
}

TEST(FileLock, HolderTextRoundTripsAndToleratesGarbage) {
  const LockHolder h{"host-a", 4242, "2026-12-03T10:00:00Z", "igbench main\n--out x"};
  const LockHolder back = parse_holder(format_holder(h));
  EXPECT_EQ(back.host, "host-a");
  EXPECT_EQ(back.pid, 4242);
  EXPECT_EQ(back.start_time, h.start_time);
  EXPECT_EQ(back.command_line, "igbench main --out x");
  const LockHolder junk = parse_holder("pid=99999999999999999999999\nhost\n=x\n\xff\xfe");
  EXPECT_EQ(junk.pid, 0);
  EXPECT_EQ(junk.host, "");
}

TEST(FileLock, MissingFolderIsAFileError) {
  test::TempDir dir;
  EXPECT_ANY_THROW(FileLock::try_acquire(dir.path / "no" / "r.h5", holder(1)));
}

}  // namespace
}  // namespace igbench::io
