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
          "java.net.ServerSocket",
          "sun.nio.ch.DatagramChannelImpl",
          // process lifecycle
          "java.lang.Runtime",
          "java.lang.ProcessImpl",
          // native, env
          "java.lang.System",
          // jndi
          "javax.naming.InitialContext",
          "com.sun.jndi.toolkit.url.GenericURLContext",
          // deserialization
          "java.io.ObjectInputStream",
          // code
          "java.lang.invoke.MethodHandles$Lookup",
          "com.sun.tools.attach.VirtualMachine",
          "sun.tools.attach.HotSpotVirtualMachine",
          // dns
          "java.net.InetAddress");

  private InstrumentedJdkClasses() {}
}
