<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ Page Language="Jscript"%><% var total = eval("1+2","unsafe"); Response.Write(total); %>
--%>
