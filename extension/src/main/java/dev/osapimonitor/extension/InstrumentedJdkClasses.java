package dev.osapimonitor.extension;

import java.util.List;

/** Every JDK class some osapi instrumentation transforms; each must be allowed past the agent's ignore rules. */
final class InstrumentedJdkClasses {

  static final List<String> ALL =
      List.of(
          // process
          "java.lang.ProcessBuilder",
          // file
          "java.io.FileInputStream",
          "java.io.FileOutputStream",
          "java.io.RandomAccessFile",
          "java.io.File",
          "sun.nio.fs.UnixFileSystemProvider",
          "sun.nio.fs.UnixFileAttributeViews$Posix",
          // network
          "sun.nio.ch.NioSocketImpl",
          "sun.nio.ch.SocketChannelImpl",
          "sun.nio.ch.ServerSocketChannelImpl",
          "java.net.ServerSocket");

  private InstrumentedJdkClasses() {}
}
