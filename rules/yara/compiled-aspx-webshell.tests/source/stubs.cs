// Stand-ins for the framework types a page compiled by ASP.NET refers to (System.Web's Page and
// HttpRequest, Microsoft.JScript's Eval), so that the identifiers land in the assembly's metadata
// the way they do in a real App_Web_*.dll. Nothing here runs anything: JScriptEvaluate returns null.
namespace System.Web { public class HttpRequest { public string this[string key] { get { return null; } } } }
namespace System.Web.UI {
  public class Page {
    public System.Web.HttpRequest Request { get { return null; } }
    public string AppRelativeVirtualPath { get; set; }
  }
}
namespace Microsoft.JScript { public static class Eval { public static object JScriptEvaluate(object source, object unsafeOption, object engine) { return null; } } }
