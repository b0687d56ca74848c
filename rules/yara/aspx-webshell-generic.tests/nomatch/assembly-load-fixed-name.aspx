<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ Page Language="C#" %>
<% var a = System.Reflection.Assembly.Load("Microsoft.Exchange.Clients.Owa2.Server"); Response.Write(Request.QueryString["v"] == null ? a.FullName : ""); %>
--%>
