"""A folder on a full disk, for the tests of what the site does when the instance folder has no room.

Real when it can be: as root (CI runs the suite as root in a fresh clone) a small tmpfs is mounted on
the folder and filled with a file until the kernel answers ENOSPC. Where mounting is refused (not root,
a container without the right), the kernel's answer is imitated instead: ``os.write`` on a file in the
folder, and a gzip stream's ``write`` into one, raise ``OSError(ENOSPC)``, and the free space reads 0.
``FullDisk.real`` says which; the test that uses it names both in its docstring. Nothing is skipped.
``FORUM_TEST_FULL_DISK=imitate`` takes the second way as root too, to try it.
"""

from __future__ import annotations

import errno
import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SIZE = "2m"  # room for a little more than the files a test writes before it fills the rest


class FullDisk:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.patches = pytest.MonkeyPatch()  # its own: emptying the disk undoes only these
        folder.mkdir(parents=True, exist_ok=True)
        self.real = os.geteuid() == 0 and os.environ.get("FORUM_TEST_FULL_DISK") != "imitate" and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0755", "tmpfs", str(folder)],
            capture_output=True).returncode == 0

    def fill(self) -> None:
        """Take every free byte of the disk (on a real tmpfs), or make every write into it refused."""
        if self.real:
            chunk = b"\0" * 65536
            with open(self.folder / ".filler", "wb", buffering=0) as filler:
                try:
                    while True:
                        filler.write(chunk)
                except OSError as error:
                    assert error.errno == errno.ENOSPC
            return
        self._imitate()

    def empty(self) -> None:
        """Free the space again."""
        if self.real:
            (self.folder / ".filler").unlink()
        else:
            self.patches.undo()

    def release(self) -> None:
        self.patches.undo()
        if self.real:
            subprocess.run(["umount", "--lazy", str(self.folder)], check=True)

    def _inside(self, name: str) -> bool:
        return os.path.abspath(name).startswith(str(self.folder.resolve()) + os.sep)

    def _imitate(self) -> None:
        real_write, real_gzip_write, real_usage = os.write, gzip.GzipFile.write, shutil.disk_usage

        def write(fd: int, data) -> int:  # noqa: ANN001
            if self._inside(os.readlink(f"/proc/self/fd/{fd}")):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(fd, data)

        def gzip_write(stream, data):  # noqa: ANN001, ANN202
            if self._inside(getattr(stream.fileobj, "name", "") or ""):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_gzip_write(stream, data)

        def disk_usage(path):  # noqa: ANN001, ANN202
            usage = real_usage(path)
            return usage._replace(free=0) if self._inside(os.path.join(str(path), "x")) else usage

        self.patches.setattr(os, "write", write)
        self.patches.setattr(gzip.GzipFile, "write", gzip_write)
        self.patches.setattr(shutil, "disk_usage", disk_usage)


@pytest.fixture
def full_disk(tmp_path):
    """A ``FullDisk`` on ``tmp_path/disk``; call ``fill()`` once what must be there first is written."""
    disk = FullDisk(tmp_path / "disk")
    yield disk
    disk.release()
