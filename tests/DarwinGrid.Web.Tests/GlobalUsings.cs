// The fixtures, sign-in sessions and polling helpers every folder's tests share.
global using DarwinGrid.Web.Tests.Support;
