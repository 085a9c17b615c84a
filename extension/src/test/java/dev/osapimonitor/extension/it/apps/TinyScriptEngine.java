package dev.osapimonitor.extension.it.apps;

import java.io.BufferedReader;
import java.io.Reader;
import java.util.stream.Collectors;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.SimpleBindings;

/** A minimal script engine (the JDK ships none since 15): evaluates "a+b" of two integers. */
public final class TinyScriptEngine extends AbstractScriptEngine {

  @Override
  public Object eval(String script, ScriptContext context) {
    String[] parts = script.trim().split("\\+");
    int sum = 0;
    for (String p : parts) {
      sum += Integer.parseInt(p.trim());
    }
    return sum;
  }

  @Override
  public Object eval(Reader reader, ScriptContext context) {
    return eval(new BufferedReader(reader).lines().collect(Collectors.joining("\n")), context);
  }

  @Override
  public Bindings createBindings() {
    return new SimpleBindings();
  }

  @Override
  public ScriptEngineFactory getFactory() {
    return new ScriptEngineFactory() {
      @Override
      public String getEngineName() {
        return "tiny-adder";
      }

      @Override
      public String getEngineVersion() {
        return "1";
      }

      @Override
      public java.util.List<String> getExtensions() {
        return java.util.List.of("add");
      }

      @Override
      public java.util.List<String> getMimeTypes() {
        return java.util.List.of();
      }

      @Override
      public java.util.List<String> getNames() {
        return java.util.List.of("tiny");
      }

      @Override
      public String getLanguageName() {
        return "adder";
      }

      @Override
      public String getLanguageVersion() {
        return "1";
      }

      @Override
      public Object getParameter(String key) {
        return null;
      }

      @Override
      public String getMethodCallSyntax(String obj, String m, String... args) {
        return m;
      }

      @Override
      public String getOutputStatement(String toDisplay) {
        return toDisplay;
      }

      @Override
      public String getProgram(String... statements) {
        return String.join(";", statements);
      }

      @Override
      public ScriptEngine getScriptEngine() {
        return TinyScriptEngine.this;
      }
    };
  }
}
