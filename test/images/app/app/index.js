console.log("bulwark test app");
